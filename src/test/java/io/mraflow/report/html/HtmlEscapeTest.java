package io.mraflow.report.html;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

class HtmlEscapeTest {
    @Test
    void markupBecomesText() {
        assertEquals("&lt;script&gt;alert(1)&lt;/script&gt;", HtmlEscape.of("<script>alert(1)</script>"));
        assertEquals("&lt;img src=x onerror=&quot;a&quot;&gt;", HtmlEscape.of("<img src=x onerror=\"a\">"));
    }

    @Test
    void quotesCannotCloseAnAttributeAndAmpersandsCannotStartAnEntity() {
        assertEquals("a&quot; b=&#39;c&#39; &amp;lt;", HtmlEscape.of("a\" b='c' &lt;"));
    }

    @Test
    void charactersThatHideOrReorderTextAreShownAsEscapes() {
        // A right-to-left override and a line separator, as the text report shows them.
        assertEquals("login.\\u202emoc.live\\u2028.example.com", HtmlEscape.of("login.\u202emoc.live\u2028.example.com"));
        assertEquals("a\\x00b\\x1b[31m", HtmlEscape.of("a\u0000b\u001b[31m"));
    }

    @Test
    void plainTextIsReturnedAsItIs() {
        final String s = "expe.example.com 203.0.113.10:5061";
        assertSame(s, HtmlEscape.of(s));
        assertEquals("", HtmlEscape.of(null));
    }
}
