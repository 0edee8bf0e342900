package dev.weft.security.kerberos;

import dev.weft.security.Region;
import java.util.List;

/**
 * The per-message tokens of an established Kerberos context over the regions of a PDU (GSS_GetMICEx and
 * GSS_WrapEx, MS-KILE 3.4.5.4): which ones depends on the encryption type of the context key (MS-KILE 3.4.5.4.1),
 * RFC 4121 for AES ({@link Cfx}), RFC 4757 for RC4-HMAC ({@link Rc4HmacTokens}).
 *
 * <p>Each direction has its own sequence number and lock; messages must be protected in send order and checked in
 * receive order.
 */
sealed interface MessageTokens permits Cfx, Rc4HmacTokens {

    /**
     * The tokens for a context key.
     *
     * @param keyType        the encryption type of {@code key}
     * @param key            the context key (acceptor subkey, else initiator subkey, else ticket session key)
     * @param initiator      whether this end is the initiator
     * @param acceptorSubkey whether {@code key} is the acceptor's subkey (RFC 4121's AcceptorSubkey flag)
     * @param dceStyle       whether the context is DCE style (RFC 4121: the EC of one block)
     * @param sendSeq        this end's initial sequence number
     * @param receiveSeq     the peer's initial sequence number
     */
    static MessageTokens of(int keyType, byte[] key, boolean initiator, boolean acceptorSubkey, boolean dceStyle,
                            long sendSeq, long receiveSeq) {
        return switch (EncryptionType.of(keyType)) {
            case AES128_CTS_HMAC_SHA1_96, AES256_CTS_HMAC_SHA1_96 ->
                    new Cfx(key, initiator, acceptorSubkey, dceStyle, sendSeq, receiveSeq);
            case RC4_HMAC -> new Rc4HmacTokens(key, initiator, sendSeq, receiveSeq);
        };
    }

    /** The length of a MIC token. */
    int micLength();

    /** The length of a wrap token (the sealed data stays in place, outside it). */
    int wrapLength();

    /** GSS_GetMIC over the DATA and SIGN_ONLY regions, in order. */
    byte[] getMic(List<Region> regions);

    /** GSS_VerifyMIC of the peer's token. */
    void verifyMic(List<Region> regions, byte[] token);

    /** GSS_WrapEx with confidentiality: encrypts the DATA regions in place and returns the token. */
    byte[] wrap(List<Region> regions);

    /** GSS_UnwrapEx: decrypts the DATA regions in place and checks the token. */
    void unwrap(List<Region> regions, byte[] token);
}
