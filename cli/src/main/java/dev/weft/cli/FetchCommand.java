package dev.weft.cli;

import dev.weft.client.RpcClient;
import dev.weft.interfaces.frstrans.Frstrans;
import dev.weft.interfaces.frstrans.Frstrans.FrsUpdate;
import dev.weft.interfaces.frstrans.Frstrans.Filetime;
import dev.weft.ndr.Uuid;
import dev.weft.transport.StringBinding;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code weft fetch BINDING NAME -o FILE}: downloads a file through frstrans (MS-FRS2) the way DFS-R does:
 * {@code InitializeFileTransferAsync} returns the first bytes and a server context, {@code RawGetFileDataAsync}
 * streams the rest through its byte pipe, written to FILE chunk by chunk as it arrives.
 */
final class FetchCommand implements Command {
    private static final int FIRST_BUFFER = 64 * 1024;

    @Override
    public String name() {
        return "fetch";
    }

    @Override
    public String summary() {
        return "download a file through frstrans (MS-FRS2) and its byte pipe";
    }

    @Override
    public String help() {
        return """
                usage: weft fetch BINDING NAME -o FILE [--timeout S] [--ndr] [--user U --password P ...] [--json]

                Asks the frstrans server at BINDING for the file NAME (InitializeFileTransferAsync), then streams
                the rest through RawGetFileDataAsync's byte pipe into FILE ('-' for standard output), chunk by
                chunk, in bounded memory whatever the size. MS-FRS2 servers want --level privacy.

                  -o, --output FILE   where to write the file
                %s
                example: weft fetch ncacn_ip_tcp:127.0.0.1[1350] big.bin -o /tmp/big.bin
                """.formatted(Target.OPTIONS_HELP);
    }

    @Override
    public int run(String[] argv, Io io) throws Exception {
        String[] normalized = argv.clone();
        for (int i = 0; i < normalized.length; i++) if (normalized[i].equals("-o")) normalized[i] = "--output";
        Args args = Args.parse(name(), normalized, EchoCommand.union(Target.VALUED, "output"), Target.FLAGS);
        var positional = args.positional(2, 2, "BINDING NAME");
        StringBinding binding = Target.binding(name(), positional.get(0), null);
        String file = positional.get(1);
        String output = args.value("output", null);
        if (output == null) throw CliException.usage("fetch: -o FILE is required ('-' for standard output)");

        long start = System.nanoTime();
        long[] written = {0};
        try (RpcClient client = Target.connect(io, binding, args);
             OutputStream out = output.equals("-") ? io.out() : Files.newOutputStream(Path.of(output));
             Progress progress = io.progress("fetching " + file)) {
            Frstrans.Client frs = Frstrans.client(client.bind(Frstrans.INTERFACE_ID));
            var init = frs.initializeFileTransferAsync(Uuid.random(), update(file), 0,
                    Frstrans.FrsRequestedStagingPolicy.SERVER_DEFAULT, FIRST_BUFFER);
            if (init.result() != 0) {
                throw new CliException(ExitCode.REFUSED, "fetch: the server refused " + file + " (Win32 error " + init.result() + ")");
            }
            out.write(init.dataBuffer(), 0, init.sizeRead());
            written[0] = init.sizeRead();
            if (init.isEndOfFile() == 0) {
                int rc = frs.rawGetFileDataAsync(init.serverContext(), chunk -> {
                    try {
                        out.write(chunk);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    written[0] += chunk.length;
                    progress.update(String.format("%,d bytes", written[0]));
                });
                if (rc != 0) throw new CliException(ExitCode.REFUSED, "fetch: RawGetFileDataAsync failed (Win32 error " + rc + ")");
            }
            frs.rdcClose(init.serverContext());
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        if (args.has("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", file);
            m.put("bytes", written[0]);
            m.put("seconds", Math.round(seconds * 1000) / 1000.0);
            m.put("megabytesPerSecond", Math.round(written[0] / seconds / 1e5) / 10.0);
            (output.equals("-") ? io.err() : io.out()).println(Json.write(m));
        } else {
            io.err().printf("%s: %,d bytes in %.2f s (%.1f MB/s)%n", file, written[0], seconds, written[0] / seconds / 1e6);
        }
        return ExitCode.OK;
    }

    /** An FRS_UPDATE that names the file; the rest is what a download needs no more of. */
    private static FrsUpdate update(String name) {
        Filetime zero = new Filetime(0, 0);
        Uuid nil = Uuid.parse("00000000-0000-0000-0000-000000000000");
        return new FrsUpdate(1, 0, 0, zero, zero, zero, nil, new byte[20], new byte[16], nil, 0, nil, 0, nil, 0, name, 0);
    }
}
