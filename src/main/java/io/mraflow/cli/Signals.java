package io.mraflow.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

/**
 * SIGINT, SIGTERM and SIGHUP handlers through jdk.unsupported's {@code sun.misc.Signal}, the JDK's only
 * way to catch them (a shutdown hook cannot catch SIGHUP or keep the process running). Reached by
 * reflection because javac's warning on naming it cannot be suppressed on 17, and the build has -Werror.
 */
final class Signals {
    private Signals() {
    }

    /** As {@code Signal.handle(new Signal(name), s -> action.run())}, its exceptions unchanged. */
    static void on(final String name, final Runnable action) {
        try {
            final Class<?> signal = Class.forName("sun.misc.Signal");
            final Class<?> handler = Class.forName("sun.misc.SignalHandler");
            final Object h = Proxy.newProxyInstance(handler.getClassLoader(), new Class<?>[] {handler}, (self, m, args) -> {
                switch (m.getName()) {
                    case "handle" -> {
                        action.run();
                        return null;
                    }
                    case "hashCode" -> {
                        return System.identityHashCode(self);
                    }
                    case "equals" -> {
                        return self == args[0];
                    }
                    default -> {
                        return "signal handler for SIG" + name;
                    }
                }
            });
            signal.getMethod("handle", signal, handler).invoke(null, signal.getConstructor(String.class).newInstance(name), h);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("sun.misc.Signal unavailable", e);
        }
    }
}
