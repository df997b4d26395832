package io.mraflow.rules;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;

/**
 * The lines of a configuration file (topology, allow list), numbered for error messages and read
 * strictly as UTF-8: a byte that is not UTF-8, or a line longer than {@link #MAX_LINE_BYTES},
 * raises a {@link RulesFormatException} naming the line (and the byte). No more than that many
 * bytes of a line are held, however long it is. Lines end with LF or CRLF. Not thread-safe.
 */
final class ConfigLines implements Closeable {
    /** Longer than any configuration line (a role with thousands of addresses), short enough to hold. */
    static final int MAX_LINE_BYTES = 1 << 16;

    private final InputStream in;
    private final String source;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    /** Bytes read from {@link #in}, {@link #read} of {@link #buffered} taken. */
    private final byte[] buffer = new byte[8192];
    private int buffered;
    private int read;
    /** The current line's bytes (at most {@link #MAX_LINE_BYTES}) and characters. */
    private byte[] bytes = new byte[256];
    private CharBuffer chars = CharBuffer.allocate(256);
    private int lineNumber;
    /** Bytes of the file before the next line. */
    private long offset;

    /** Reads {@code in}; {@code source} names it in errors. */
    ConfigLines(final InputStream in, final String source) {
        this.in = in;
        this.source = source;
    }

    /** Opens {@code file}; a missing or unreadable one gives an exception whose message names it and says so. */
    static ConfigLines open(final Path file) throws IOException {
        try {
            return new ConfigLines(Files.newInputStream(file), file.toString());
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "the file does not exist");
        } catch (AccessDeniedException e) {
            throw new AccessDeniedException(file.toString(), null, "the file cannot be read (permission denied)");
        }
    }

    /** The name errors give. */
    String source() {
        return source;
    }

    /** The number of the line {@link #next} returned last, from 1. */
    int lineNumber() {
        return lineNumber;
    }

    /**
     * The words of the next line that has any, its {@code #} comment and blank lines skipped; null
     * after the last. {@link #lineNumber} is that line's.
     *
     * @throws RulesFormatException when a line is not UTF-8 or is too long
     */
    String[] nextWords() throws IOException {
        for (String line; (line = next()) != null;) {
            final int hash = line.indexOf('#');
            final String t = (hash >= 0 ? line.substring(0, hash) : line).strip();
            if (!t.isEmpty()) {
                return t.split("\\s+");
            }
        }
        return null;
    }

    /**
     * The next line without its end, or null after the last.
     *
     * @throws RulesFormatException when the line is not UTF-8 or is too long
     */
    String next() throws IOException {
        final long lineStart = offset;
        int kept = 0;
        long length = 0; // the line's bytes, those not kept included
        int b;
        try {
            while ((b = read()) >= 0 && b != '\n') {
                if (kept < MAX_LINE_BYTES) {
                    if (kept == bytes.length) {
                        bytes = Arrays.copyOf(bytes, Math.min(MAX_LINE_BYTES, 2 * kept));
                    }
                    bytes[kept++] = (byte) b;
                }
                length++;
            }
        } catch (IOException e) {
            throw new IOException(source + ": " + e.getMessage(), e); // the message may not name it ("Is a directory")
        }
        offset += length + (b >= 0 ? 1 : 0);
        if (b < 0 && length == 0) {
            return null;
        }
        lineNumber++;
        if (length > MAX_LINE_BYTES) {
            final CharBuffer start = decode(lineStart, kept, false); // a character may be cut at the end
            throw new RulesFormatException(source, lineNumber, "a line may be at most " + MAX_LINE_BYTES
                    + " bytes long: " + Quote.start(start, length + " bytes"));
        }
        if (kept > 0 && bytes[kept - 1] == '\r') {
            kept--;
        }
        return decode(lineStart, kept, true).toString();
    }

    /** The next byte, or -1 at the end. */
    private int read() throws IOException {
        if (read == buffered) {
            buffered = Math.max(0, in.read(buffer));
            read = 0;
            if (buffered == 0) {
                return -1;
            }
        }
        return buffer[read++] & 0xff;
    }

    /** The first {@code n} bytes of the line as characters; {@code whole}: they end the line. */
    private CharBuffer decode(final long lineStart, final int n, final boolean whole) {
        if (chars.capacity() < n) {
            chars = CharBuffer.allocate(bytes.length); // UTF-8 gives at most one char a byte
        }
        chars.clear();
        final ByteBuffer line = ByteBuffer.wrap(bytes, 0, n);
        utf8.reset();
        final CoderResult r = utf8.decode(line, chars, whole);
        if (r.isError()) {
            final int at = line.position();
            throw new RulesFormatException(source, lineNumber, String.format(
                    "byte 0x%02x at byte offset %d (byte %d of the line) is not UTF-8: the file must be UTF-8 text",
                    bytes[at] & 0xff, lineStart + at, at + 1));
        }
        return chars.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
