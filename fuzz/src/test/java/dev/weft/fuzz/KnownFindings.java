package dev.weft.fuzz;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** The kept inputs under {@code findings/open} and {@code findings/fixed} (test resources). */
final class KnownFindings {
    private KnownFindings() {
    }

    record Kept(Path file, String target, List<String> matches, byte[] input, String text) {
    }

    static List<Kept> load(String dir) throws IOException, URISyntaxException {
        Path root = Path.of(KnownFindings.class.getResource("/findings").toURI()).resolve(dir);
        List<Kept> kept = new ArrayList<>();
        if (!Files.isDirectory(root)) return kept;
        try (Stream<Path> files = Files.list(root)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".txt")).sorted().toList()) {
                String text = Files.readString(f);
                List<String> matches = text.lines().filter(l -> l.startsWith("# match: "))
                        .map(l -> l.substring("# match: ".length()).strip()).toList();
                kept.add(new Kept(f, Fuzz.targetOf(text), matches, Fuzz.parse(text), text));
            }
        }
        return kept;
    }

    /** Whether a finding is one of the open ones (its message or trace contains an open file's match text). */
    static boolean isOpen(Finding f, List<Kept> open) {
        for (Kept k : open) {
            if (!k.target().equals(f.target())) continue;
            for (String m : k.matches()) {
                if (f.message().contains(m) || f.trace().contains(m)) return true;
            }
        }
        return false;
    }
}
