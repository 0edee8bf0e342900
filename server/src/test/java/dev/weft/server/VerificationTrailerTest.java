package dev.weft.server;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.TransferSyntax;
import dev.weft.pdu.AuthLevel;
import dev.weft.pdu.Auth3;
import dev.weft.pdu.Bind;
import dev.weft.pdu.BindAck;
import dev.weft.pdu.Drep;
import dev.weft.pdu.Fault;
import dev.weft.pdu.PType;
import dev.weft.pdu.PduProtector;
import dev.weft.pdu.PfcFlags;
import dev.weft.pdu.Request;
import dev.weft.pdu.Response;
import dev.weft.pdu.SecTrailer;
import dev.weft.pdu.VerificationTrailer;
import dev.weft.pdu.VerificationTrailer.Bitmask1;
import dev.weft.pdu.VerificationTrailer.Header2;
import dev.weft.pdu.VerificationTrailer.PContext;
import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.ntlm.NtlmCredentialSource;
import dev.weft.security.ntlm.NtlmCredentials;
import dev.weft.security.ntlm.NtlmProvider;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The server checks the verification trailer of a sealed request (MS-RPCE 2.2.2.13, RPCE-FACTS §5): a trailer
 * that agrees with the request is stripped before the operation decodes its stub; one that disagrees on the
 * header-signing bit, the presentation context or the header gets fault 0x5.
 */
class VerificationTrailerTest {
    RpcServer server;
    RawClient c;
    PduProtector protector;

    @BeforeEach
    void start() throws Exception {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]").service(new TestService(0))
                .authentication(NtlmProvider.server(NtlmCredentialSource.ofPasswords(Map.of("alice", "Secret-1"))))
                .build().start();
        c = new RawClient(server.endpoints().get(0));
        SecurityContext ctx = NtlmProvider.client(NtlmCredentials.password("WEFT", "alice", "Secret-1"))
                .newClientContext(Protection.CONFIDENTIALITY, null);
        int level = AuthLevel.RPC_C_AUTHN_LEVEL_PKT_PRIVACY;
        c.send(new Bind(PfcFlags.FIRST_AND_LAST | PfcFlags.SUPPORT_HEADER_SIGN, Drep.LITTLE_ENDIAN, 1, 5840, 5840, 0,
                List.of(RawProtocolTest.ndr(0)), SecTrailer.of(10, level, 1, ctx.step(new byte[0]).token())));
        BindAck ack = c.read(BindAck.class);
        c.send(new Auth3(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, 1, SecTrailer.of(10, level, 1,
                ctx.step(ack.auth().authValue()).token())));
        protector = new PduProtector(ctx, level, 1, PfcFlags.has(ack.flags(), PfcFlags.SUPPORT_HEADER_SIGN));
    }

    @AfterEach
    void stop() {
        c.close();
        server.close();
    }

    /**
     * Sends an ECHO of {5, 6, 7, 8} with {@code trailer} after the stub; returns the answer, unsealed. The stub is a
     * multiple of 4 long: a client pads a stub to 4 before the trailer, and TestService's ECHO insists on no byte
     * left over (generated decoders do not).
     */
    Object call(int callId, VerificationTrailer trailer) throws Exception {
        byte[] stub = RawProtocolTest.echoStub(TransferSyntax.NDR20, new byte[] {5, 6, 7, 8});
        Request r = new Request(PfcFlags.FIRST_AND_LAST, Drep.LITTLE_ENDIAN, callId, 0, 0, TestService.ECHO, null,
                trailer.appendTo(stub), protector.template());
        c.sendRaw(protector.protect(r));
        return protector.unprotect(c.framer.readFragment());
    }

    static Header2 header(int callId, int opnum) {
        return new Header2(PType.REQUEST, Drep.LITTLE_ENDIAN, callId, 0, opnum, false);
    }

    @ParameterizedTest
    @ValueSource(strings = {"good", "bitmask", "context", "syntax", "header"})
    void aTrailerIsCheckedAndStripped(String variant) throws Exception {
        PContext goodContext = new PContext(TestService.ID, SyntaxId.NDR20, false);
        VerificationTrailer vt = switch (variant) {
            case "good" -> VerificationTrailer.of(new Bitmask1(VerificationTrailer.CLIENT_SUPPORT_HEADER_SIGNING, false),
                    goodContext, header(2, TestService.ECHO));
            case "bitmask" -> VerificationTrailer.of(new Bitmask1(0, false), goodContext);   // we did ask for it
            case "context" -> VerificationTrailer.of(new PContext(RawProtocolTest.UNKNOWN, SyntaxId.NDR20, false));
            case "syntax" -> VerificationTrailer.of(new PContext(TestService.ID, SyntaxId.NDR64, false));
            default -> VerificationTrailer.of(goodContext, header(2, TestService.PEND));       // another opnum
        };
        Object answer = call(2, vt);
        if (variant.equals("good")) {
            NdrReader r = new NdrReader(TransferSyntax.NDR20, assertInstanceOf(Response.class, answer).stub());
            assertArrayEquals(new byte[] {5, 6, 7, 8}, r.readBytes(r.readConformance()), "the trailer was stripped");
        } else {
            assertEquals(5, assertInstanceOf(Fault.class, answer).status(), variant + ": access denied");
            // The connection serves the next, honest call.
            assertInstanceOf(Response.class, call(3, VerificationTrailer.of(goodContext, header(3, TestService.ECHO))));
        }
    }
}
