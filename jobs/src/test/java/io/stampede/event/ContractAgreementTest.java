package io.stampede.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The typed parser and the JSON Schema files must accept exactly the same records: the schemas are
 * the contract, the parser is its fast path. Checked on valid records and on thousands of mutations
 * of them (fields removed, nulled, retyped, out of range, unknown values).
 */
class ContractAgreementTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private final EventParser parser = new EventParser(1 << 20, null);
    private final ContractValidator validator = ContractValidator.shared();

    @ParameterizedTest
    @EnumSource(InputKind.class)
    void parserAndSchemaAcceptTheSameRecords(InputKind kind) throws Exception {
        Random r = new Random(kind.ordinal() + 11);
        int accepted = 0;
        int refused = 0;
        for (int i = 0; i < 3000; i++) {
            ObjectNode record = kind == InputKind.LOGIN ? validLogin(r) : validTelemetry(r);
            int mutations = i % 4 == 0 ? 0 : 1 + r.nextInt(2);
            for (int m = 0; m < mutations; m++) {
                mutate(record, r);
            }
            String json = MAPPER.writeValueAsString(record);
            boolean byParser = parser.parse(kind, json.getBytes(StandardCharsets.UTF_8)).isAccepted();
            List<String> findings = validator.validate(Contract.of(kind), record);
            assertThat(byParser).as("parser vs schema on %s (schema says %s)", json, findings)
                    .isEqualTo(findings.isEmpty());
            if (byParser) {
                accepted++;
            } else {
                refused++;
            }
        }
        assertThat(accepted).as("valid records generated").isGreaterThan(500);
        assertThat(refused).as("invalid records generated").isGreaterThan(500);
    }

    private static ObjectNode validLogin(Random r) {
        ObjectNode n = F.objectNode();
        n.put("eventId", "e" + r.nextInt(1_000_000));
        time(n, r);
        n.put("deviceId", "dev-" + r.nextInt(1000));
        n.put("accountId", "acct-" + r.nextInt(1000));
        n.put("region", pick(r, "eu-west", "us-east"));
        if (r.nextBoolean()) {
            n.put("authCluster", "c1");
        }
        n.put("trigger", pick(r, "AUTO", "INTERACTIVE", "TOKEN_REFRESH"));
        n.put("attempt", 1 + r.nextInt(5));
        n.put("outcome", pick(r, "SUCCESS", "FAILURE", "REJECTED", "TIMEOUT", "THROTTLED"));
        if (r.nextBoolean()) {
            n.put("latencyMs", r.nextInt(9000));
        }
        if (r.nextBoolean()) {
            n.put("platform", "windows");
            n.put("osBuild", "b1");
            n.put("clientVersion", "7.5");
        }
        return n;
    }

    private static ObjectNode validTelemetry(Random r) {
        ObjectNode n = F.objectNode();
        n.put("eventId", "t" + r.nextInt(1_000_000));
        time(n, r);
        String type = pick(r, "BOOT", "UPDATE_INSTALLED", "SHUTDOWN", "CLIENT_START", "CLIENT_CRASH", "NODE_HEALTH");
        n.put("type", type);
        if (type.equals("NODE_HEALTH")) {
            n.put("authCluster", "c1");
            n.put("authNode", "n" + r.nextInt(5));
            n.put("region", "eu-west");
            n.put("capacityPerSec", 10 + r.nextInt(50) + (r.nextBoolean() ? 0.5 : 0));
            n.put("healthy", r.nextBoolean());
            if (r.nextBoolean()) {
                n.put("inflight", r.nextInt(100));
                n.put("cpu", r.nextDouble());
                n.put("p99LatencyMs", r.nextInt(3000));
                n.put("errorRate", r.nextDouble() / 10);
            }
        } else {
            n.put("deviceId", "dev-" + r.nextInt(1000));
            n.put("region", "eu-west");
            n.put("platform", "windows");
            n.put("osBuild", "b1");
            n.put("clientVersion", "7.5");
            if (type.equals("BOOT")) {
                n.put("rebootReason", pick(r, "UPDATE", "USER", "CRASH", "POWER", "UNKNOWN"));
                if (r.nextBoolean()) {
                    n.put("updateId", "KB1");
                }
            } else if (type.equals("UPDATE_INSTALLED")) {
                n.put("updateId", "KB2");
                n.put("rebootRequired", r.nextBoolean());
            }
        }
        return n;
    }

    private static void time(ObjectNode n, Random r) {
        long ms = 1_700_000_000_000L + (long) (r.nextDouble() * 100_000_000_000L);
        if (r.nextBoolean()) {
            n.put("eventTime", ms);
        } else {
            n.put("eventTime", java.time.Instant.ofEpochMilli(ms).toString());
        }
    }

    private static void mutate(ObjectNode n, Random r) {
        List<String> names = new ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        String field = names.get(r.nextInt(names.size()));
        JsonNode value = n.get(field);
        switch (r.nextInt(14)) {
            case 0 -> n.remove(field);
            case 1 -> n.putNull(field);
            case 2 -> n.put(field, value.isTextual() ? F.numberNode(7) : F.textNode("7"));
            case 3 -> n.put(field, "NOT_A_VALUE");
            case 4 -> n.put(field, "");
            case 5 -> n.put(field, "x".repeat(257));
            case 6 -> n.put(field, -1);
            case 7 -> n.put(field, 1.5);
            case 8 -> n.put(field, true);
            case 9 -> n.set(field, F.arrayNode().add(1));
            case 10 -> n.put("eventTime", pick(r, "2026-02-30T00:00:00Z", "2026-11-26T10:00:00", "1764151200000",
                    "2026-11-26T10:00:00+01:00", "2026-11-26T10:61:00Z", "2026-11-26T10:00:00.5Z"));
            case 11 -> n.set("eventTime", pick(r, F.numberNode(-3L), F.numberNode(1.0e12), F.numberNode(253402300800000L)));
            case 12 -> n.put("unknownField" + r.nextInt(3), r.nextInt());
            default -> n.put(pick(r, "cpu", "errorRate", "capacityPerSec", "attempt", "latencyMs", "inflight"),
                    pick(r, 0.0, 1.0, 2.0, 1.25, 0.999, 100.0));
        }
    }

    @SafeVarargs
    private static <T> T pick(Random r, T... values) {
        return values[r.nextInt(values.length)];
    }
}
