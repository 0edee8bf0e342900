package dev.weft.security.kerberos;

import dev.weft.ndr.NdrException;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import dev.weft.security.internal.Der;
import dev.weft.security.internal.Le;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * The Privilege Attribute Certificate a Windows or Samba KDC puts in a service ticket (MS-PAC): found in the
 * EncTicketPart's authorization data as AD-WIN2K-PAC inside AD-IF-RELEVANT (MS-PAC 4), checked with the service's
 * own key (the server signature, MS-PAC 2.8.1: a keyed checksum with key usage 17 over the whole PAC with the server
 * and KDC signatures zeroed), and read for the caller's logon information (2.5) and name (2.7).
 *
 * <p>Every length and offset is checked against the PAC before it is used; every failure is a
 * {@link SecurityContextException}. The KDC signature (2.8.2) needs the krbtgt key and is left to the KDC, as it is
 * for every service that is not a domain controller.
 */
final class Pac {

    static final int AD_IF_RELEVANT = 1, AD_WIN2K_PAC = 128;
    /** MS-PAC 2.4 ulType values Weft reads. */
    static final int LOGON_INFO = 1, SERVER_CHECKSUM = 6, PRIVSVR_CHECKSUM = 7, CLIENT_INFO = 10;
    /** KERB_NON_KERB_CKSUM_SALT (MS-KILE 3.1.5.9). */
    static final int USAGE_PAC_SIGNATURE = 17;
    /** Far more buffers than any KDC writes (about ten): a bound before the array is walked. */
    static final int MAX_BUFFERS = 64;
    /** Authorization data nests AD-IF-RELEVANT at most this deep here. */
    private static final int MAX_AD_DEPTH = 4;

    private Pac() {
    }

    /**
     * The verified logon information of the PAC in a ticket's authorization data, or null when there is no PAC
     * (a KDC that is not a domain controller).
     *
     * @param authorizationData the EncTicketPart's {@code authorization-data} (a SEQUENCE), or null
     * @param keyType           the type of the service key that opened the ticket
     * @param serviceKey        that key, which signed the PAC's server signature
     * @param clientName        the ticket's client name, which the PAC's client information must repeat
     */
    static KerbValidationInfo fromAuthorizationData(Der.Element authorizationData, int keyType, byte[] serviceKey,
                                                    String clientName) {
        if (authorizationData == null) return null;
        byte[] pac = pacData(authorizationData, 0);
        return pac == null ? null : verify(pac, keyType, serviceKey, clientName);
    }

    /**
     * The AD-WIN2K-PAC data in an AuthorizationData SEQUENCE, looking into AD-IF-RELEVANT; null when there is none,
     * an error when there are two.
     */
    static byte[] pacData(Der.Element authorizationData, int depth) {
        if (depth > MAX_AD_DEPTH) throw SecurityContextException.invalidToken("authorization data nested too deep");
        byte[] found = null;
        Der.Reader entries = authorizationData.expect(Der.SEQUENCE).children();
        while (entries.hasNext()) {
            Der.Reader entry = entries.next().expect(Der.SEQUENCE).children();
            int type = entry.next().expect(Der.context(0)).explicit(0x02).intValue();
            Der.Element data = entry.next().expect(Der.context(1)).explicit(Der.OCTET_STRING);
            entry.end();
            byte[] pac = null;
            if (type == AD_IF_RELEVANT) {
                Der.Reader inner = new Der.Reader(data.source(), data.offset(), data.offset() + data.length());
                Der.Element nested = inner.next();
                inner.end();
                pac = pacData(nested, depth + 1);
            } else if (type == AD_WIN2K_PAC) {
                pac = data.content();
            }
            if (pac != null) {
                if (found != null) throw SecurityContextException.invalidToken("a ticket with two PACs");
                found = pac;
            }
        }
        return found;
    }

    /** One PAC_INFO_BUFFER: where its data lies in the PAC. */
    private record Buffer(int type, int offset, int size) {
    }

    /** Parses the PACTYPE, checks the server signature and the client name, decodes the logon information. */
    static KerbValidationInfo verify(byte[] pac, int keyType, byte[] serviceKey, String clientName) {
        if (pac.length < 8) throw SecurityContextException.invalidToken("a PAC of " + pac.length + " bytes");
        long count = Le.u32(pac, 0) & 0xFFFFFFFFL;
        if (Le.u32(pac, 4) != 0) throw SecurityContextException.invalidToken("PAC version " + Le.u32(pac, 4));
        if (count > MAX_BUFFERS || 8 + count * 16 > pac.length) {
            throw SecurityContextException.invalidToken("a PAC of " + count + " buffers in " + pac.length + " bytes");
        }
        Buffer logon = null, server = null, kdc = null, client = null;
        for (int i = 0; i < count; i++) {
            int at = 8 + 16 * i;
            long size = Le.u32(pac, at + 4) & 0xFFFFFFFFL;
            long offset = Le.u64(pac, at + 8);
            if (offset < 0 || offset > pac.length || size > pac.length - offset) {
                throw SecurityContextException.invalidToken("PAC buffer " + i + " lies outside the PAC");
            }
            Buffer b = new Buffer(Le.u32(pac, at), (int) offset, (int) size);
            switch (b.type()) {
                case LOGON_INFO -> logon = unique(logon, b);
                case SERVER_CHECKSUM -> server = unique(server, b);
                case PRIVSVR_CHECKSUM -> kdc = unique(kdc, b);
                case CLIENT_INFO -> client = unique(client, b);
                default -> { }                                   // credentials, UPN, claims, ticket checksum, ...
            }
        }
        if (logon == null || server == null || kdc == null) {
            throw SecurityContextException.invalidToken("a PAC without logon information or signatures");
        }
        checkServerSignature(pac, server, kdc, keyType, serviceKey);
        if (client != null) checkClientName(pac, client, clientName);
        try {
            return KerbValidationInfo.decode(Arrays.copyOfRange(pac, logon.offset(), logon.offset() + logon.size()));
        } catch (NdrException e) {
            SecurityContextException s = SecurityContextException.invalidToken("PAC logon information: " + e.getMessage());
            s.initCause(e);
            throw s;
        }
    }

    private static Buffer unique(Buffer seen, Buffer b) {
        if (seen != null) throw SecurityContextException.invalidToken("two PAC buffers of type " + b.type());
        return b;
    }

    /**
     * MS-PAC 2.8.1: the server signature is the service key's checksum (its type must be the key's) over the PAC
     * with the Signature fields of the server and KDC signatures zeroed.
     */
    private static void checkServerSignature(byte[] pac, Buffer server, Buffer kdc, int keyType, byte[] serviceKey) {
        EncryptionType type = EncryptionType.of(keyType);
        int length = type.checksumLength();
        if (server.size() < 4 + length || kdc.size() < 4) {
            throw SecurityContextException.invalidToken("PAC signature buffers too short");
        }
        int signatureType = Le.u32(pac, server.offset());
        if (signatureType != type.checksumType) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "PAC server signature of type " + signatureType
                    + " where the service key's checksum is type " + type.checksumType);
        }
        byte[] signature = Arrays.copyOfRange(pac, server.offset() + 4, server.offset() + 4 + length);
        byte[] zeroed = pac.clone();
        Arrays.fill(zeroed, server.offset() + 4, server.offset() + 4 + length, (byte) 0);
        int kdcLength = Math.min(kdc.size() - 4, signatureLength(Le.u32(pac, kdc.offset()), kdc.size() - 4));
        Arrays.fill(zeroed, kdc.offset() + 4, kdc.offset() + 4 + kdcLength, (byte) 0);
        byte[] expected = type.checksum(serviceKey, USAGE_PAC_SIGNATURE, zeroed);
        if (!MessageDigest.isEqual(expected, signature)) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "the PAC's server signature does not verify "
                    + "(KRB_AP_ERR_MODIFIED)");
        }
    }

    /**
     * The length of a signature of {@code signatureType} (MS-PAC 2.8): 16 for HMAC-MD5, 12 for the AES ones; the
     * RODCIdentifier that may follow a KDC signature is not part of it.
     */
    private static int signatureLength(int signatureType, int available) {
        return switch (signatureType) {
            case Rc4Hmac.CHECKSUM_TYPE -> Rc4Hmac.CHECKSUM;
            case 15, 16 -> AesCts.MAC;
            default -> available;
        };
    }

    /** MS-PAC 2.7 PAC_CLIENT_INFO: ClientId (8), NameLength (2), Name (UTF-16LE); the name is the ticket's client. */
    private static void checkClientName(byte[] pac, Buffer client, String clientName) {
        if (client.size() < 10) throw SecurityContextException.invalidToken("PAC client information too short");
        int nameLength = Le.u16(pac, client.offset() + 8);
        if (nameLength > client.size() - 10 || (nameLength & 1) != 0) {
            throw SecurityContextException.invalidToken("PAC client name of " + nameLength + " bytes");
        }
        String name = new String(pac, client.offset() + 10, nameLength, StandardCharsets.UTF_16LE);
        if (!name.equalsIgnoreCase(clientName)) {
            throw new SecurityContextException(Reason.LOGON_DENIED, "the PAC names " + name + ", the ticket " + clientName);
        }
    }
}
