package io.stampede.topology;

import io.stampede.alert.Alert;
import io.stampede.config.ConfigLoader;
import io.stampede.config.StampedeConfig;
import io.stampede.event.InputKind;
import io.stampede.io.MemorySource;
import io.stampede.io.RawRecord;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.junit.jupiter.api.Test;

class SmokeTest {
    @Test
    void runs() throws Exception {
        StampedeConfig config = ConfigLoader.load(null, List.of("detection.warmup=2m"));
        List<RawRecord> records = new ArrayList<>();
        Random r = new Random(1);
        long t0 = 1_764_000_000_000L;
        int id = 0;
        for (int s = 0; s < 1800; s++) {
            long t = t0 + s * 1000L;
            for (int i = 0; i < 5; i++) {
                records.add(login(id++, t + r.nextInt(1000), "d" + r.nextInt(1000)));
            }
            if (r.nextInt(10) == 0) {
                records.add(boot(id++, t, "d" + r.nextInt(1000), "USER"));
            }
            if (s > 1200 && s < 1400) {
                for (int i = 0; i < 20; i++) {
                    records.add(boot(id++, t + r.nextInt(1000), "w" + (s * 100 + i), "POWER"));
                }
            }
        }
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        env.setParallelism(2);
        DataStream<io.stampede.event.Envelope> in = env.fromSource(MemorySource.of("smoke", records, 2, config.input()),
                StampedeTopology.watermarks(config), "memory");
        StampedeTopology.Outputs out = StampedeTopology.build(List.of(new StampedeTopology.Input("memory", in)), config);
        CloseableIterator<Alert> alerts = out.alerts().collectAsync();
        env.execute("smoke");
        alerts.forEachRemaining(a -> System.out.println(a));
    }

    private static RawRecord login(int id, long t, String device) {
        String json = "{\"eventId\":\"e" + id + "\",\"eventTime\":" + t + ",\"deviceId\":\"" + device
                + "\",\"accountId\":\"a\",\"region\":\"eu\",\"trigger\":\"TOKEN_REFRESH\",\"attempt\":1,\"outcome\":\"SUCCESS\"}";
        return new RawRecord(InputKind.LOGIN, json.getBytes(StandardCharsets.UTF_8));
    }

    private static RawRecord boot(int id, long t, String device, String reason) {
        String json = "{\"eventId\":\"e" + id + "\",\"eventTime\":" + t + ",\"type\":\"BOOT\",\"deviceId\":\"" + device
                + "\",\"region\":\"eu\",\"rebootReason\":\"" + reason + "\",\"osBuild\":\"b1\"}";
        return new RawRecord(InputKind.TELEMETRY, json.getBytes(StandardCharsets.UTF_8));
    }
}
