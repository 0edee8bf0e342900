package dev.weft.idl.internal;

import dev.weft.idl.model.IdlFile;
import dev.weft.idl.model.Location;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One compilation: reads the main file, loads its imports (each file once, cycles reported), prepends the
 * built-in MS-DTYP base and resolves the lot. Not thread-safe; make one per compilation.
 */
public final class Compiler {
    /** The name under which the built-in base is imported, as the specifications write it. */
    public static final String BASE_IDL = "ms-dtyp.idl";
    private static final String BASE_RESOURCE = "/dev/weft/idl/ms-dtyp.idl";

    private final List<Path> includePath;
    private final Diagnostics diagnostics = new Diagnostics();
    private final Set<String> typeNames = new HashSet<>();
    private final Map<String, Ast.File> loaded = new HashMap<>();
    private final List<Ast.File> order = new ArrayList<>();
    private final Deque<String> loading = new ArrayDeque<>();

    public Compiler(List<Path> includePath) {
        this.includePath = List.copyOf(includePath);
    }

    /** Diagnostics so far (warnings and errors). */
    public Diagnostics diagnostics() {
        return diagnostics;
    }

    /**
     * Compiles a source. Returns null when errors were found (see {@link #diagnostics()}).
     *
     * @param displayName the name used in messages
     * @param path        the file, or null for an in-memory source
     * @param text        the source text
     */
    public IdlFile compile(String displayName, Path path, String text) {
        try {
            loadBase();
            Path dir = path == null ? null : path.toAbsolutePath().getParent();
            String key = path == null ? "memory:" + displayName : path.toAbsolutePath().normalize().toString();
            Ast.File main = load(key, displayName, dir, text, null);
            return new Resolver(order, main, path == null ? Path.of(displayName) : path, diagnostics).resolve();
        } catch (SyntaxError e) {
            diagnostics.error(e.diagnostic().location(), e.diagnostic().message());
            return null;
        }
    }

    /** The text of the built-in MS-DTYP base IDL. */
    public static String baseText() {
        try (InputStream in = Compiler.class.getResourceAsStream(BASE_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + BASE_RESOURCE);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read " + BASE_RESOURCE, e);
        }
    }

    private void loadBase() {
        load("builtin:" + BASE_IDL, BASE_IDL, null, baseText(), null);
    }

    private Ast.File load(String key, String displayName, Path dir, String text, Location importedAt) {
        Ast.File done = loaded.get(key);
        if (done != null) {
            return done;
        }
        if (loading.contains(key)) {
            List<String> cycle = new ArrayList<>();
            for (var it = loading.descendingIterator(); it.hasNext(); ) {
                cycle.add(displayOf(it.next()));
            }
            int from = cycle.indexOf(displayOf(key));
            List<String> shown = new ArrayList<>(cycle.subList(Math.max(0, from), cycle.size()));
            shown.add(displayOf(key));
            throw new SyntaxError(importedAt, "import cycle: " + String.join(" -> ", shown));
        }
        loading.push(key);
        Parser parser = new Parser(displayName, text, diagnostics, typeNames, i -> importFile(i, dir));
        Ast.File file = parser.parseFile(displayName);
        loading.pop();
        loaded.put(key, file);
        order.add(file); // imports finish first, so they come before their importer
        return file;
    }

    private static String displayOf(String key) {
        int slash = Math.max(key.lastIndexOf('/'), key.lastIndexOf(':'));
        return key.substring(slash + 1);
    }

    private void importFile(Ast.Import i, Path dir) {
        if (i.name().equals(BASE_IDL)) {
            return; // the specifications' "ms-dtyp.idl" is the built-in base, already loaded
        }
        List<Path> searched = new ArrayList<>();
        if (dir != null) {
            searched.add(dir);
        }
        searched.addAll(includePath);
        for (Path p : searched) {
            Path candidate = p.resolve(i.name());
            if (Files.isRegularFile(candidate)) {
                String text;
                try {
                    text = Files.readString(candidate, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new SyntaxError(i.location(), "cannot read imported file " + candidate + ": " + e.getMessage());
                }
                load(candidate.toAbsolutePath().normalize().toString(), candidate.getFileName().toString(),
                        candidate.toAbsolutePath().getParent(), text, i.location());
                return;
            }
        }
        throw new SyntaxError(i.location(), "cannot find imported file \"" + i.name() + "\" (searched "
                + (searched.isEmpty() ? "no directories" : searched.stream().map(Path::toString)
                .collect(Collectors.joining(", "))) + ")");
    }
}
