package dev.weft.bench.security;

import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.Response;
import dev.weft.security.Protection;
import dev.weft.security.Region;
import dev.weft.security.SecurityContext;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * NTLMSSP per-message protection (issue 7): sealing and unsealing a message, and protecting and unprotecting a
 * whole response fragment with {@link PduProtector} at privacy, next to a plain copy of the same bytes. Throughput
 * in operations per second; multiply by {@code size} for bytes per second.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class NtlmBenchmarks {
    @Param({"1024", "5792"})
    public int size;

    SecurityContext client;
    SecurityContext server;
    PduProtector sender;
    PduProtector receiver;
    byte[] data;
    byte[] scratch;
    Response fragment;

    @Setup
    public void setUp() {
        var users = NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"));
        client = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret-1"))
                .newClientContext(Protection.CONFIDENTIALITY, null);
        server = NtlmProvider.server(users).newServerContext();
        byte[] challenge = server.step(client.step(new byte[0]).token()).token();
        server.step(client.step(challenge).token());
        data = new byte[size];
        new Random(1).nextBytes(data);
        scratch = new byte[size];
        // Server to client: responses go that way, so sequence numbers and RC4 streams stay in step.
        sender = new PduProtector(server, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 1, true);
        receiver = new PduProtector(client, AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY, 1, true);
        fragment = Response.of(7, 0, data);
    }

    /** The limit: one copy of the message. */
    @Benchmark
    public byte[] copy() {
        System.arraycopy(data, 0, scratch, 0, size);
        return scratch;
    }

    /** GSS_WrapEx then GSS_UnwrapEx of {@code size} bytes (HMAC-MD5 and RC4 twice). */
    @Benchmark
    public byte[] sealAndUnseal() {
        System.arraycopy(data, 0, scratch, 0, size);
        List<Region> regions = List.of(Region.data(scratch));
        byte[] signature = server.seal(regions);
        client.unseal(regions, signature);
        return scratch;
    }

    /** A whole response fragment at PKT_PRIVACY with header signing: encode, seal, then verify, unseal, decode. */
    @Benchmark
    public Object protectAndUnprotectFragment() {
        return receiver.unprotect(sender.protect(fragment));
    }
}
