package io.ivp2p.viewer;

import java.util.Locale;

/**
 * The little JSON the viewer needs: building its own replies ({@link Obj}) and checking that text
 * from the camera or the page is one well-formed JSON object (RFC 8259) before it is passed on
 * as JSON. No parsing into objects: the viewer never looks inside the camera's replies.
 */
final class Json {
    /** Deeper nesting is refused rather than risking the stack on hostile input. */
    static final int MAX_DEPTH = 64;

    private Json() {}

    /** {@code s} as a JSON string literal (RFC 8259 section 7). */
    static String quote(String s) {
        StringBuilder b = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '\t' -> b.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) { // the last two break JavaScript string literals
                        b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.append('"').toString();
    }

    /** Whether {@code s} is exactly one JSON object, with nothing but white space around it. */
    static boolean isObject(String s) {
        Checker c = new Checker(s);
        c.ws();
        if (c.peek() != '{' || !c.value(0)) {
            return false;
        }
        c.ws();
        return c.pos == s.length();
    }

    /** Builds one JSON object, members in the order put. */
    static final class Obj {
        private final StringBuilder b = new StringBuilder("{");

        private Obj key(String k) {
            if (b.length() > 1) {
                b.append(',');
            }
            b.append(quote(k)).append(':');
            return this;
        }

        Obj put(String k, String v) {
            key(k).b.append(v == null ? "null" : quote(v));
            return this;
        }

        Obj put(String k, long v) {
            key(k).b.append(v);
            return this;
        }

        Obj put(String k, boolean v) {
            key(k).b.append(v);
            return this;
        }

        /** A number with up to 3 decimals, or null for NaN (no measurement yet). */
        Obj put(String k, double v) {
            key(k).b.append(Double.isNaN(v) || Double.isInfinite(v) ? "null"
                    : String.format(Locale.ROOT, "%.3f", v));
            return this;
        }

        /** {@code json} must be valid JSON (checked by the caller, e.g. with {@link #isObject}). */
        Obj putRaw(String k, String json) {
            key(k).b.append(json);
            return this;
        }

        @Override
        public String toString() {
            return b + "}";
        }
    }

    /** A recursive-descent recogniser of RFC 8259's grammar. */
    private static final class Checker {
        private final String s;
        private int pos;

        Checker(String s) {
            this.s = s;
        }

        char peek() {
            return pos < s.length() ? s.charAt(pos) : 0;
        }

        void ws() {
            while (pos < s.length() && " \t\r\n".indexOf(s.charAt(pos)) >= 0) {
                pos++;
            }
        }

        boolean value(int depth) {
            if (depth > MAX_DEPTH) {
                return false;
            }
            ws();
            char c = peek();
            return switch (c) {
                case '{' -> object(depth);
                case '[' -> array(depth);
                case '"' -> string();
                case 't' -> literal("true");
                case 'f' -> literal("false");
                case 'n' -> literal("null");
                default -> c == '-' || (c >= '0' && c <= '9') ? number() : false;
            };
        }

        private boolean object(int depth) {
            pos++;
            ws();
            if (peek() == '}') {
                pos++;
                return true;
            }
            while (true) {
                ws();
                if (peek() != '"' || !string()) {
                    return false;
                }
                ws();
                if (peek() != ':') {
                    return false;
                }
                pos++;
                if (!value(depth + 1)) {
                    return false;
                }
                ws();
                char c = peek();
                pos++;
                if (c == '}') {
                    return true;
                }
                if (c != ',') {
                    return false;
                }
            }
        }

        private boolean array(int depth) {
            pos++;
            ws();
            if (peek() == ']') {
                pos++;
                return true;
            }
            while (true) {
                if (!value(depth + 1)) {
                    return false;
                }
                ws();
                char c = peek();
                pos++;
                if (c == ']') {
                    return true;
                }
                if (c != ',') {
                    return false;
                }
            }
        }

        private boolean string() {
            pos++;
            while (pos < s.length()) {
                char c = s.charAt(pos++);
                if (c == '"') {
                    return true;
                }
                if (c < 0x20) {
                    return false;
                }
                if (c == '\\') {
                    char e = peek();
                    pos++;
                    if (e == 'u') {
                        for (int i = 0; i < 4; i++) {
                            if (Character.digit(peek(), 16) < 0) {
                                return false;
                            }
                            pos++;
                        }
                    } else if ("\"\\/bfnrt".indexOf(e) < 0 || e == 0) {
                        return false;
                    }
                }
            }
            return false;
        }

        private boolean number() {
            int start = pos;
            if (peek() == '-') {
                pos++;
            }
            if (peek() == '0') {
                pos++;
            } else if (!digits()) {
                return false;
            }
            if (peek() == '.') {
                pos++;
                if (!digits()) {
                    return false;
                }
            }
            if (peek() == 'e' || peek() == 'E') {
                pos++;
                if (peek() == '+' || peek() == '-') {
                    pos++;
                }
                if (!digits()) {
                    return false;
                }
            }
            return pos > start;
        }

        private boolean digits() {
            int start = pos;
            while (peek() >= '0' && peek() <= '9') {
                pos++;
            }
            return pos > start;
        }

        private boolean literal(String word) {
            if (s.startsWith(word, pos)) {
                pos += word.length();
                return true;
            }
            return false;
        }
    }
}
