package dev.weft.idl.gen;

import dev.weft.idl.IdlException;
import dev.weft.idl.IdlParser;
import dev.weft.idl.model.Diagnostic;
import dev.weft.idl.model.IdlFile;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.spi.ToolProvider;

/**
 * The {@code weft-idl} command: {@code weft-idl -o outDir [-I includeDir]... [--package p] [--class C] file.idl}.
 * Also a {@link ToolProvider}, so {@code ToolProvider.findFirst("weft-idl")} runs it in-process.
 */
public final class WeftIdl implements ToolProvider {
    private static final String USAGE = "usage: weft-idl -o outDir [-I includeDir]... [--package p] [--class C] file.idl";

    @Override
    public String name() {
        return "weft-idl";
    }

    @Override
    public Optional<String> description() {
        return Optional.of("compiles MIDL-syntax IDL into Java stubs and NDR20/NDR64 codecs for Weft");
    }

    public static void main(String[] args) {
        int status = new WeftIdl().run(new PrintWriter(System.out, true, StandardCharsets.UTF_8),
                new PrintWriter(System.err, true, StandardCharsets.UTF_8), args);
        if (status != 0) {
            System.exit(status);
        }
    }

    @Override
    public int run(PrintWriter out, PrintWriter err, String... args) {
        Path outDir = null;
        List<Path> include = new ArrayList<>();
        String pkg = null;
        String className = null;
        Path file = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            boolean hasValue = i + 1 < args.length;
            switch (a) {
                case "-o", "-I", "--package", "--class" -> {
                    if (!hasValue) {
                        err.println("weft-idl: " + a + " needs a value\n" + USAGE);
                        return 2;
                    }
                    String v = args[++i];
                    switch (a) {
                        case "-o" -> outDir = Path.of(v);
                        case "-I" -> include.add(Path.of(v));
                        case "--package" -> pkg = v;
                        default -> className = v;
                    }
                }
                case "-h", "--help" -> {
                    out.println(USAGE);
                    return 0;
                }
                default -> {
                    if (a.startsWith("-") || file != null) {
                        err.println("weft-idl: unexpected argument " + a + "\n" + USAGE);
                        return 2;
                    }
                    file = Path.of(a);
                }
            }
        }
        if (outDir == null || file == null) {
            err.println(USAGE);
            return 2;
        }
        try {
            if (file.toAbsolutePath().getParent() != null) {
                include.add(file.toAbsolutePath().getParent());
            }
            IdlFile idl = IdlParser.parse(file, include);
            for (Diagnostic d : idl.warnings()) {
                err.println(d);
            }
            if (pkg == null) {
                pkg = idl.interfaces().isEmpty() ? "generated"
                        : idl.interfaces().get(0).name().toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "");
            }
            for (JavaGenerator.GeneratedFile g : JavaGenerator.generate(idl, new JavaGenerator.Options(pkg, className))) {
                Path target = outDir.resolve(g.path());
                Files.createDirectories(target.getParent());
                Files.writeString(target, g.content(), StandardCharsets.UTF_8);
                out.println(target);
            }
            return 0;
        } catch (IdlException e) {
            err.println(e.getMessage());
            return 1;
        } catch (GeneratorException e) {
            err.println("weft-idl: " + e.getMessage());
            return 1;
        } catch (IOException e) {
            err.println("weft-idl: " + e);
            return 1;
        }
    }
}
