package io.stampede.cli;

import io.stampede.config.ConfigException;
import io.stampede.config.ConfigLoader;
import io.stampede.config.Durations;
import io.stampede.config.StampedeConfig;
import io.stampede.control.Control;
import io.stampede.control.ControlJson;
import io.stampede.control.ControlReader;
import io.stampede.event.Timestamps;
import io.stampede.io.Json;
import java.io.PrintWriter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code stampede control}: what the people on call tell the live job, written to the control
 * topic. Every control is checked as the job checks it before it is written, so one that would
 * be refused never reaches the topic.
 */
@Command(name = "control",
        mixinStandardHelpOptions = true,
        description = {
            "Tells the live job what operators know or decide: a planned rollout, throttling switched off or fixed, "
                    + "other settings for one region. No redeploy, no restart.",
            "",
            "Each control is one record of the compacted control topic (kafka.topics.control, default "
                    + "stampede-control), keyed by its id; a new version of an id replaces the old one. The job reads "
                    + "the topic from its beginning and applies each control in event time, from its effectiveFrom "
                    + "(--from) until its until (--until): every bucket is judged with the controls in force at its "
                    + "end, so 'stampede backtest --control FILE' with the same controls ('stampede control list "
                    + "--json') makes the live run's decisions. Every alert, directive and signal a control shaped "
                    + "names it (controlId). A control is checked before it is written, as the job checks it "
                    + "(schemas/control.schema.json; SETTINGS like the configuration file), and refused whole with "
                    + "the reason, exit code 2.",
            "",
            "Examples:",
            "  stampede control maintenance --region eu-west --until 2h --update-id fw-2026.11 \\",
            "      --reason \"firmware rollout, change CHG-1234\"",
            "  stampede control throttle --region eu-west --mode OFF --until 30m --reason \"admission bug\"",
            "  stampede control throttle --region eu-west --mode AUTO --reason \"admission fixed\"",
            "  stampede control settings --region ap-south --setting capacity.staticCapacity=1200 \\",
            "      --setting capacity.staticNodes=4 --reason \"ap-south nodes send no NODE_HEALTH\"",
            "  stampede control list",
            "  stampede control clear mnt-eu-west-20261203-0200",
            ""},
        subcommands = {
            ControlCommand.Maintenance.class,
            ControlCommand.Throttle.class,
            ControlCommand.Settings.class,
            ControlCommand.ListControls.class,
            ControlCommand.Clear.class},
        footer = {"", "Exit code: 0; 1 when Kafka could not be reached, the control topic is missing or a write "
                + "failed; 2 for usage and configuration errors and refused controls."})
public final class ControlCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** The clock "now" is read from: the wall clock, except in tests. */
    static Clock clock = Clock.systemUTC();

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(),
                "name what to do: maintenance, throttle, settings, list or clear");
    }

    /** What every control that is written shares: its window, its reason, who asks, and where it goes. */
    static final class Common {

        @Option(names = "--region", required = true, paramLabel = "REGION",
                description = "The region it applies to; \"*\" for every region (and the fleet).")
        String region;

        @Option(names = "--from", defaultValue = "now", paramLabel = "TIME",
                description = "When it starts (event time): an RFC 3339 time such as 2026-12-03T02:00:00Z, 'now' "
                        + "(default), or a duration from now such as 15m.")
        String from;

        @Option(names = "--reason", required = true, paramLabel = "TEXT",
                description = "Why, in words (at most 200 characters): shown on the alerts, directives and signals "
                        + "it shapes.")
        String reason;

        @Option(names = "--by", paramLabel = "WHO",
                description = "Who asks for it (default: the user name of this session).")
        String by;

        @Option(names = "--id", paramLabel = "ID",
                description = "Its id (letters, digits and . _ : -); a control of the same id is replaced. Default: "
                        + "made from its kind, region and start, e.g. mnt-eu-west-20261203-0200.")
        String id;

        @Option(names = "--dry-run",
                description = "Print the control as the JSON line that would be written (a line for a --control "
                        + "file), check it, and write nothing.")
        boolean dryRun;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        BrokerCheck broker;
    }

    /** Checks the control and writes it, or prints it with --dry-run. */
    static int submit(Common common, CommandLine.Model.CommandSpec spec, Control.Kind kind, String until,
            Map<String, Object> fields) {
        StampedeConfig config = common.configOptions.load();
        Instant now = clock.instant();
        Instant from = time("--from", common.from, now);
        Instant end = until == null ? null : time("--until", until, from);
        String id = common.id != null ? common.id : defaultId(kind, common.region, from);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("controlId", id);
        json.put("kind", kind.name());
        json.put("region", common.region);
        json.put("effectiveFrom", Timestamps.format(from.toEpochMilli()));
        if (end != null) {
            json.put("until", Timestamps.format(end.toEpochMilli()));
        }
        json.put("reason", common.reason);
        json.put("createdBy", common.by != null ? common.by : System.getProperty("user.name", "unknown"));
        json.put("createdAt", Timestamps.format(now.toEpochMilli()));
        json.putAll(fields);
        Control control = check(config, write(json));
        PrintWriter out = spec.commandLine().getOut();
        if (common.dryRun) {
            out.println(ControlJson.write(control));
            out.flush();
            return 0;
        }
        ControlTopic topic = new ControlTopic(config.kafka(), common.broker);
        String where = topic.write(control.controlId(), ControlJson.write(control));
        out.println("control " + control.controlId() + " written to " + where + ": " + control.describe());
        out.flush();
        return 0;
    }

    /** The control as the job would read it, or a usage error with the job's reason. */
    static Control check(StampedeConfig config, String json) {
        ControlReader.Result r = new ControlReader(config).read(json);
        if (!r.accepted()) {
            throw new StampedeCli.UserException("the control is refused, nothing is written: " + r.refusal());
        }
        return r.control();
    }

    private static String write(Map<String, Object> json) {
        try {
            return Json.MAPPER.writeValueAsString(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmm", Locale.ROOT)
            .withZone(ZoneOffset.UTC);

    static String defaultId(Control.Kind kind, String region, Instant from) {
        String prefix = switch (kind) {
            case MAINTENANCE -> "mnt";
            case THROTTLE -> "thr";
            case SETTINGS -> "set";
        };
        String where = Control.ALL_REGIONS.equals(region) ? "all" : region.replaceAll("[^A-Za-z0-9._:-]", "_");
        return prefix + "-" + where + "-" + ID_TIME.format(from);
    }

    /** An RFC 3339 time, 'now', or a duration after {@code base}. */
    static Instant time(String option, String value, Instant base) {
        if (value.equalsIgnoreCase("now")) {
            return Instant.ofEpochMilli(clockMillis());
        }
        if (value.length() > 4 && Character.isDigit(value.charAt(0)) && value.charAt(4) == '-') {
            try {
                return Instant.ofEpochMilli(Timestamps.parse(value));
            } catch (IllegalArgumentException e) {
                throw new StampedeCli.UserException(option + ": " + e.getMessage());
            }
        }
        Duration d;
        try {
            d = Durations.parse(value);
        } catch (RuntimeException e) {
            throw new StampedeCli.UserException(option + " must be an RFC 3339 time (2026-12-03T02:00:00Z), 'now' "
                    + "or a duration such as 2h, got '" + value + "'");
        }
        return base.plus(d);
    }

    private static long clockMillis() {
        return clock.millis();
    }

    @Command(name = "maintenance", mixinStandardHelpOptions = true,
            description = {
                "Announces planned work in a region: inside the window, the REBOOT_WAVE and LOGIN_SURGE alerts of "
                        + "what was announced are marked expected, carry the reason and do not page (severity info, "
                        + "label expected=\"true\"). CAPACITY_RISK, RETRY_STORM and AUTH_DEGRADED still page: an "
                        + "announced wave that will still overload the tier must wake someone. Throttling and "
                        + "scaling keep working.",
                ""})
    static final class Maintenance implements Callable<Integer> {

        @Mixin
        Common common;

        @Option(names = "--until", required = true, paramLabel = "TIME",
                description = "When the window ends: an RFC 3339 time or a duration after --from, such as 2h.")
        String until;

        @Option(names = "--update-id", paramLabel = "ID",
                description = "The update being rolled out: only the waves attributed to it (the updateId of the "
                        + "devices' reboots) are expected. Without it, every reboot wave and login surge in the "
                        + "region and window is.")
        String updateId;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Map<String, Object> fields = new LinkedHashMap<>();
            if (updateId != null) {
                fields.put("updateId", updateId);
            }
            return submit(common, spec, Control.Kind.MAINTENANCE, until, fields);
        }
    }

    @Command(name = "throttle", mixinStandardHelpOptions = true,
            description = {
                "Switches Stampede's throttling in a region: OFF lifts what is in force and issues no directives "
                        + "(the admission client admits all), FIXED admits --admit-per-sec first attempts a second "
                        + "whatever the forecast, AUTO hands the region back to Stampede. The switch takes effect "
                        + "within one renewal interval (throttle.renewEvery). The latest switch of a region wins.",
                ""})
    static final class Throttle implements Callable<Integer> {

        @Mixin
        Common common;

        @Option(names = "--mode", required = true, paramLabel = "OFF|FIXED|AUTO",
                description = "OFF, FIXED or AUTO.")
        Control.ThrottleMode mode;

        @Option(names = "--admit-per-sec", paramLabel = "N",
                description = "FIXED: first attempts per second to admit.")
        Double admitPerSec;

        @Option(names = "--until", paramLabel = "TIME",
                description = "When the switch ends by itself (an RFC 3339 time or a duration after --from); "
                        + "without it, until cleared or replaced.")
        String until;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            if (mode == Control.ThrottleMode.FIXED && admitPerSec == null) {
                throw new StampedeCli.UserException("--mode FIXED needs --admit-per-sec N");
            }
            if (mode != Control.ThrottleMode.FIXED && admitPerSec != null) {
                throw new StampedeCli.UserException("--admit-per-sec is for --mode FIXED only");
            }
            Map<String, Object> fields = new LinkedHashMap<>();
            fields.put("mode", mode.name());
            if (admitPerSec != null) {
                fields.put("admitPerSec", admitPerSec);
            }
            return submit(common, spec, Control.Kind.THROTTLE, until, fields);
        }
    }

    @Command(name = "settings", mixinStandardHelpOptions = true,
            description = {
                "Changes detection and capacity settings in one region: the detection rules "
                        + "(detection.rebootWave, loginSurge, retryStorm, authDegraded) and capacity (e.g. "
                        + "capacity.safeUtilization, or capacity.staticCapacity and capacity.staticNodes for a "
                        + "region whose nodes send no NODE_HEALTH). Checked like the configuration file, on top of "
                        + "the region's own settings (regions: in the configuration file); settings left out keep "
                        + "their values.",
                ""})
    static final class Settings implements Callable<Integer> {

        @Mixin
        Common common;

        @Option(names = "--setting", required = true, paramLabel = "KEY=VALUE",
                description = "One setting, e.g. capacity.safeUtilization=0.6. Repeatable.")
        List<String> settings = new ArrayList<>();

        @Option(names = "--until", paramLabel = "TIME",
                description = "When the settings end by themselves (an RFC 3339 time or a duration after --from); "
                        + "without it, until cleared or replaced.")
        String until;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            Object tree;
            try {
                tree = Json.MAPPER.convertValue(ConfigLoader.sections(settings), Map.class);
            } catch (ConfigException e) {
                throw new StampedeCli.UserException("--setting " + e.getMessage());
            }
            return submit(common, spec, Control.Kind.SETTINGS, until, Map.of("settings", tree));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = {
                "Lists the controls on the control topic, each in its latest version: in force now, scheduled, and "
                        + "(with --all) ended. With --json, one JSON line per control: a file 'stampede backtest "
                        + "--control FILE' takes, to replay a live run with its controls. Records the job refuses "
                        + "are listed with the reason.",
                ""})
    static final class ListControls implements Callable<Integer> {

        @Option(names = "--all", description = "Also list controls that have ended.")
        boolean all;

        @Option(names = "--json", description = "Print each control's JSON (every one, ended too), one per line.")
        boolean json;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        BrokerCheck broker;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            StampedeConfig config = configOptions.load();
            ControlTopic topic = new ControlTopic(config.kafka(), broker);
            List<ControlTopic.Entry> entries = topic.read(new ControlReader(config));
            PrintWriter out = spec.commandLine().getOut();
            long now = clockMillis();
            if (json) {
                for (ControlTopic.Entry e : entries) {
                    if (e.control() != null) {
                        out.println(ControlJson.write(e.control()));
                    }
                }
                out.flush();
                return 0;
            }
            int shown = 0;
            for (String state : List.of("in force", "scheduled", "ended", "refused")) {
                for (ControlTopic.Entry e : entries) {
                    if (!state.equals(stateOf(e, now)) || state.equals("ended") && !all) {
                        continue;
                    }
                    out.printf(Locale.ROOT, "%-10s %s%n", state, e.control() != null ? e.control().describe()
                            : e.key() + ": " + e.refusal());
                    shown++;
                }
            }
            long ended = entries.stream().filter(e -> "ended".equals(stateOf(e, now))).count();
            if (shown == 0) {
                out.println("no controls" + (ended > 0 ? " in force or scheduled (" + ended + " ended: --all)" : "")
                        + " on " + config.kafka().topics().control());
            } else if (!all && ended > 0) {
                out.println("(" + ended + " ended: --all lists them)");
            }
            out.flush();
            return 0;
        }

        private static String stateOf(ControlTopic.Entry e, long now) {
            if (e.control() == null) {
                return "refused";
            }
            return now < e.control().effectiveFromMs() ? "scheduled" : e.control().inForceAt(now) ? "in force"
                    : "ended";
        }
    }

    @Command(name = "clear", mixinStandardHelpOptions = true,
            description = {
                "Ends a control now: writes it again with until = now, so a backtest of the past still sees it where "
                        + "it was in force. A control that has not started yet is forgotten instead. With --forget, "
                        + "the control is removed from the topic altogether (a tombstone): it no longer applies "
                        + "anywhere, not even to the past in a replay.",
                ""})
    static final class Clear implements Callable<Integer> {

        @Parameters(paramLabel = "ID", description = "The control's id (see 'stampede control list').")
        String id;

        @Option(names = "--forget", description = "Remove it from the topic (a tombstone) instead of ending it.")
        boolean forget;

        @Mixin
        ConfigOptions configOptions;

        @Mixin
        BrokerCheck broker;

        @CommandLine.Spec
        CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            StampedeConfig config = configOptions.load();
            ControlTopic topic = new ControlTopic(config.kafka(), broker);
            ControlTopic.Entry entry = topic.read(new ControlReader(config)).stream()
                    .filter(e -> e.key().equals(id)).findFirst()
                    .orElseThrow(() -> new StampedeCli.UserException("there is no control " + id + " on "
                            + config.kafka().topics().control() + "; 'stampede control list --all' shows them"));
            PrintWriter out = spec.commandLine().getOut();
            long now = clockMillis();
            Control c = entry.control();
            if (forget || c == null || now <= c.effectiveFromMs()) {
                String where = topic.write(id, null);
                out.println("control " + id + " forgotten (" + where + ")" + (c == null || forget ? ""
                        : ": it had not started"));
            } else if (!c.inForceAt(now)) {
                out.println("control " + id + " has already ended (" + c.until() + "); nothing written");
            } else {
                Control ended = check(config, ControlJson.write(c.endedAt(Timestamps.format(now))));
                String where = topic.write(id, ControlJson.write(ended));
                out.println("control " + id + " ended now, written to " + where + ": " + ended.describe());
            }
            out.flush();
            return 0;
        }
    }
}
