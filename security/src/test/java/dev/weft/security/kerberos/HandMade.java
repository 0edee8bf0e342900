package dev.weft.security.kerberos;

import dev.weft.security.internal.Der;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Test helper: what a KDC and an initiator would send (RFC 4120 Ticket, Authenticator, AP-REQ), built by hand and
 * encrypted with keys the test chooses, in realm TEST for service host/weft.test.
 */
final class HandMade {

    static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuuMMddHHmmss'Z'").withZone(ZoneOffset.UTC);
    static final String REALM = "TEST";

    private HandMade() {
    }

    static byte[] gs(String s) {
        return Der.tlv(Der.GENERAL_STRING, s.getBytes(StandardCharsets.UTF_8));
    }

    static byte[] time(Instant t) {
        return Der.tlv(0x18, TIME.format(t).getBytes(StandardCharsets.US_ASCII));
    }

    static byte[] name(int type, String... parts) {
        byte[][] names = new byte[parts.length][];
        for (int i = 0; i < parts.length; i++) names[i] = gs(parts[i]);
        return Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), ApMessages.integer(type)),
                Der.tlv(Der.context(1), Der.constructed(Der.SEQUENCE, names)));
    }

    /** EncryptionKey {keytype [0], keyvalue [1]}. */
    static byte[] key(int etype, byte[] value) {
        return Der.constructed(Der.SEQUENCE, Der.tlv(Der.context(0), ApMessages.integer(etype)),
                Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, value)));
    }

    /**
     * A Ticket for host/weft.test@TEST, encrypted with the service key, for {@code client}@TEST.
     *
     * @param authorizationData the AuthorizationData SEQUENCE of the EncTicketPart, or null for none
     */
    static byte[] ticket(int serviceType, byte[] serviceKey, int kvno, int sessionType, byte[] sessionKey, String client,
                         Instant end, byte[] authorizationData) {
        byte[] encTicketPart = Der.tlv(Der.application(3), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(Der.BIT_STRING, new byte[] {0, 0, 0, 0, 0})),
                Der.tlv(Der.context(1), key(sessionType, sessionKey)),
                Der.tlv(Der.context(2), gs(REALM)),
                Der.tlv(Der.context(3), name(1, client)),
                Der.tlv(Der.context(4), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {1})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, new byte[0])))),
                Der.tlv(Der.context(5), time(Instant.now().minusSeconds(60))),
                Der.tlv(Der.context(7), time(end)),
                authorizationData == null ? new byte[0] : Der.tlv(Der.context(10), authorizationData)));
        byte[] cipher = EncryptionType.of(serviceType).encrypt(serviceKey, ApMessages.USAGE_TICKET, encTicketPart);
        return Der.tlv(Der.application(1), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), gs(REALM)),
                Der.tlv(Der.context(2), name(3, "host", "weft.test")),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), ApMessages.integer(serviceType)),
                        Der.tlv(Der.context(1), ApMessages.integer(kvno)),
                        Der.tlv(Der.context(2), Der.tlv(Der.OCTET_STRING, cipher))))));
    }

    /**
     * An Authenticator with the RFC 4121 4.1.1 checksum carrying {@code flags}, the time, a sequence number and, when
     * {@code subkey} is not null, a subkey.
     */
    static byte[] authenticator(String client, Instant ctime, int flags, long seq, int subkeyType, byte[] subkey) {
        byte[] checksum = new byte[24];
        checksum[0] = 16;
        checksum[20] = (byte) flags;
        checksum[21] = (byte) (flags >>> 8);
        return Der.tlv(Der.application(2), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), gs(REALM)),
                Der.tlv(Der.context(2), name(1, client)),
                Der.tlv(Der.context(3), Der.constructed(Der.SEQUENCE,
                        Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {0, (byte) 0x80, 0x03})),
                        Der.tlv(Der.context(1), Der.tlv(Der.OCTET_STRING, checksum)))),
                Der.tlv(Der.context(4), Der.tlv(0x02, new byte[] {0x12, 0x34})),
                Der.tlv(Der.context(5), time(ctime)),
                subkey == null ? new byte[0] : Der.tlv(Der.context(6), key(subkeyType, subkey)),
                Der.tlv(Der.context(7), ApMessages.integer(seq))));
    }

    /** An unframed AP-REQ with mutual-required, the Authenticator encrypted with the session key. */
    static byte[] apReq(byte[] ticket, int sessionType, byte[] sessionKey, byte[] authenticator) {
        return Der.tlv(Der.application(14), Der.constructed(Der.SEQUENCE,
                Der.tlv(Der.context(0), Der.tlv(0x02, new byte[] {5})),
                Der.tlv(Der.context(1), Der.tlv(0x02, new byte[] {14})),
                Der.tlv(Der.context(2), Der.tlv(Der.BIT_STRING, new byte[] {0, 0x20, 0, 0, 0})),
                Der.tlv(Der.context(3), ticket),
                Der.tlv(Der.context(4), ApMessages.EncryptedData.encrypt(sessionType, sessionKey,
                        ApMessages.USAGE_AP_REQ_AUTHENTICATOR, authenticator))));
    }
}
