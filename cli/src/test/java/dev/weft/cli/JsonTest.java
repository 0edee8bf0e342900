package dev.weft.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class JsonTest {
    @Test
    void writesEveryKindAndKeepsOrder() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("z", 1);
        m.put("a", List.of(true, false, 2.5, -7L));
        m.put("n", null);
        m.put("s", "q\"b\\s\n\t\u0001\u2028é");
        m.put("inf", Double.POSITIVE_INFINITY);
        String json = Json.write(m);
        assertEquals("{\"z\":1,\"a\":[true,false,2.5,-7],\"n\":null,\"s\":\"q\\\"b\\\\s\\n\\t\\u0001\\u2028é\",\"inf\":null}", json);
        Map<String, Object> back = JsonParser.object(json);
        assertEquals("q\"b\\s\n\t\u0001\u2028é", back.get("s"));
        assertEquals(Arrays.asList("z", "a", "n", "s", "inf"), new ArrayList<>(back.keySet()));
    }

    @Test
    void refusesWhatHasNoJsonForm() {
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }
}
