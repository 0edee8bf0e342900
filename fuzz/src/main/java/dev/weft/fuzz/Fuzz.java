package dev.weft.fuzz;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

/**
 * {@code Fuzz TARGET|all [--seconds N] [--seed S] [--execs N] [--hang-ms N] [--out DIR] [--replay FILE]}: runs the
 * targets with a time budget (default 60 s each) and prints executions, executions per second and findings; each
 * distinct finding is written to {@code DIR/<target>/<kind>-<n>.txt} in the {@code findings/} format (comment lines
 * starting with {@code #}, then the input in hex). Exit status 1 when there were findings.
 */
public final class Fuzz {
    private Fuzz() {
    }

    public static void main(String[] args) throws Exception {
        List<String> names = new ArrayList<>();
        long seconds = 60;
        long seed = new Random().nextLong();
        long execs = Long.MAX_VALUE;
        long hang = 1_000;
        Path out = Path.of("fuzz-findings");
        Path replay = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--seconds" -> seconds = Long.parseLong(args[++i]);
                case "--seed" -> seed = Long.parseLong(args[++i]);
                case "--execs" -> execs = Long.parseLong(args[++i]);
                case "--hang-ms" -> hang = Long.parseLong(args[++i]);
                case "--out" -> out = Path.of(args[++i]);
                case "--replay" -> replay = Path.of(args[++i]);
                case "-h", "--help" -> {
                    System.out.println("usage: fuzz TARGET|all [--seconds N] [--seed S] [--execs N] [--hang-ms N] "
                            + "[--out DIR] [--replay FILE]\ntargets: " + Targets.NAMES);
                    return;
                }
                default -> names.add(args[i]);
            }
        }
        if (replay != null) {
            System.exit(replay(names.isEmpty() ? "all" : names.get(0), replay) ? 0 : 1);
            return;
        }
        if (names.isEmpty()) names.add("all");
        if (names.contains("all")) names = Targets.NAMES;
        int findings = 0;
        List<String> summaries = new ArrayList<>();
        for (String name : names) {
            Engine.Report report;
            try (Target t = Targets.create(name)) {
                System.out.printf("[fuzz] %s: seed %d, %d s%n", name, seed, seconds);
                report = new Engine(t, Engine.Options.of(seed, execs, Duration.ofSeconds(seconds))
                        .withHang(hang, Math.max(60_000, hang * 10)).verbose(true)).run();
                if (t instanceof StubTarget s && !s.unseeded().isEmpty()) {
                    System.out.println("[fuzz] stubs: no seed for " + s.unseeded());
                }
            }
            System.out.println(report.summary());
            summaries.add(report.summary());
            findings += report.findings().size();
            int n = 0;
            for (Finding f : report.findings()) {
                Path dir = out.resolve(name);
                Files.createDirectories(dir);
                Path file = dir.resolve(f.kind() + "-" + (++n) + ".txt");
                Files.writeString(file, format(f));
                System.out.println("  finding " + file + ": " + f.message());
            }
            for (Finding f : report.slow()) System.out.println("  slow input (" + f.input().length + " bytes): " + f.message());
        }
        System.out.println();
        System.out.println("[fuzz] summary");
        summaries.forEach(System.out::println);
        System.exit(findings == 0 ? 0 : 1);
    }

    /** The {@code findings/} file format. */
    static String format(Finding f) {
        StringBuilder b = new StringBuilder();
        b.append("# target: ").append(f.target()).append('\n');
        b.append("# kind: ").append(f.kind()).append('\n');
        for (String line : f.message().split("\n")) b.append("# ").append(line).append('\n');
        for (String line : f.trace().split("\n")) b.append("# ").append(line.stripTrailing()).append('\n');
        String hex = f.hex();
        for (int i = 0; i < hex.length(); i += 96) b.append(hex, i, Math.min(hex.length(), i + 96)).append('\n');
        return b.toString();
    }

    /** The input of a {@code findings/} file: every line not starting with '#', as hex. */
    public static byte[] parse(String text) {
        StringBuilder hex = new StringBuilder();
        for (String line : text.split("\n")) {
            String l = line.strip();
            if (!l.isEmpty() && !l.startsWith("#")) hex.append(l);
        }
        return HexFormat.of().parseHex(hex);
    }

    /** The target a {@code findings/} file names. */
    public static String targetOf(String text) {
        for (String line : text.split("\n")) {
            if (line.startsWith("# target: ")) return line.substring("# target: ".length()).strip();
        }
        throw new IllegalArgumentException("no '# target:' line");
    }

    private static boolean replay(String name, Path file) throws Exception {
        String text = Files.readString(file);
        if (name.equals("all") || !Targets.NAMES.contains(name)) name = targetOf(text);
        byte[] input = parse(text);
        try (Target t = Targets.create(name)) {
            t.seeds(new Random(0));
            Replay.Result r = Replay.run(t, input);
            System.out.println(name + ": " + r);
            return r.ok();
        }
    }
}
