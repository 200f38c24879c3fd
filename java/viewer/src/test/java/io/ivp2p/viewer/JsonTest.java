package io.ivp2p.viewer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class JsonTest {
    @Test
    void objectsAreRecognised() {
        assertTrue(Json.isObject("{}"));
        assertTrue(Json.isObject(" {\"cmd\":\"ptz\",\"dir\":\"left\",\"step\":-1.5e3} \n"));
        assertTrue(Json.isObject("{\"a\":[1,true,null,{\"b\":\"\\u00e9\\n\"}],\"c\":{}}"));
    }

    @Test
    void anythingElseIsNot() {
        for (String s : new String[] {"", "[]", "\"x\"", "{", "{\"a\"}", "{\"a\":}", "{\"a\":1,}", "{a:1}",
                "{\"a\":01}", "{\"a\":1} {}", "{\"a\":\"\u0001\"}", "{\"a\":\"\\x\"}", "{\"a\":tru}", "{\"a\":-}",
                "{\"a\":1.}", "{\"a\":\"unterminated}"}) {
            assertFalse(Json.isObject(s), s);
        }
    }

    @Test
    void deepNestingIsRefusedNotAStackOverflow() {
        String deep = "{\"a\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";
        assertFalse(Json.isObject(deep));
    }

    @Test
    void builtObjectsAreValidJson() {
        String s = new Json.Obj().put("text", "a \"quoted\"\\ line\n\u0001\u2028").put("n", -3).put("ok", false)
                .put("ms", 0.5).put("none", Double.NaN).put("nil", (String) null).putRaw("r", "{\"x\":1}").toString();
        assertTrue(Json.isObject(s), s);
        assertEquals("{\"n\":1.250}", new Json.Obj().put("n", 1.25).toString());
    }
}
