package dev.weft.security.kerberos;

import dev.weft.ndr.NdrException;
import dev.weft.ndr.NdrLimits;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.TransferSyntax;
import dev.weft.security.Sid;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * What the PAC's logon information buffer (MS-PAC 2.5, KERB_VALIDATION_INFO) says about the caller, as far as an
 * RPC server needs it: names, the account and its groups. The buffer is an NDR type serialization (MS-RPCE 2.2.6,
 * version 1) of a unique pointer to the structure, decoded with Weft's NDR runtime.
 *
 * @param effectiveName          the account name
 * @param logonDomainName        the NetBIOS name of the account's domain
 * @param logonDomainId          the domain's SID
 * @param userId                 the account's RID in that domain
 * @param primaryGroupId         the RID of its primary group
 * @param groupIds               the RIDs of the domain groups it is a member of
 * @param userFlags              the UserFlags (MS-PAC 2.5: 0x20 extra SIDs present, 0x200 resource groups present)
 * @param extraSids              SIDs of groups outside the domain's RIDs (other domains, well-known SIDs)
 * @param resourceGroupDomainSid the domain of {@code resourceGroupIds}, or null
 * @param resourceGroupIds       RIDs of domain-local groups of the resource domain
 */
record KerbValidationInfo(String effectiveName, String logonDomainName, Sid logonDomainId, long userId,
                          long primaryGroupId, List<Long> groupIds, long userFlags, List<Sid> extraSids,
                          Sid resourceGroupDomainSid, List<Long> resourceGroupIds) {

    /** MS-RPCE 2.2.6.1: version 1, the common header is 8 bytes, then the 8-byte private header. */
    private static final int HEADERS = 16;

    KerbValidationInfo {
        groupIds = List.copyOf(groupIds);
        extraSids = List.copyOf(extraSids);
        resourceGroupIds = List.copyOf(resourceGroupIds);
    }

    /** The account's SID: its domain's SID and its RID. */
    Sid userSid() {
        return logonDomainId.resolve(userId);
    }

    /** The primary group, the domain groups, the extra SIDs and the resource groups, in that order, once each. */
    List<Sid> groupSids() {
        Set<Sid> sids = new LinkedHashSet<>();
        sids.add(logonDomainId.resolve(primaryGroupId));
        for (long rid : groupIds) sids.add(logonDomainId.resolve(rid));
        sids.addAll(extraSids);
        if (resourceGroupDomainSid != null) {
            for (long rid : resourceGroupIds) sids.add(resourceGroupDomainSid.resolve(rid));
        }
        return List.copyOf(sids);
    }

    /** Decodes the buffer; an NdrException for anything malformed, checked against the bytes it has. */
    static KerbValidationInfo decode(byte[] b) {
        if (b.length < HEADERS || b[0] != 1 || (b[1] != 0x10 && b[1] != 0x00)) {
            throw new NdrException("not an NDR type serialization version 1 header");
        }
        boolean bigEndian = b[1] == 0x00;
        NdrReader headers = new NdrReader(TransferSyntax.NDR20, b, 0, HEADERS, bigEndian, NdrLimits.DEFAULT);
        headers.readInt16();                                              // version and endianness
        if (headers.readInt16() != 8) throw new NdrException("common header length is not 8");
        headers.readInt32();                                              // filler
        long objectLength = headers.readInt32() & 0xFFFFFFFFL;
        if (objectLength > b.length - HEADERS) {
            throw new NdrException("object buffer of " + objectLength + " bytes where " + (b.length - HEADERS) + " remain");
        }
        NdrReader r = new NdrReader(TransferSyntax.NDR20, b, HEADERS, (int) objectLength, bigEndian, NdrLimits.DEFAULT);
        if (!r.readUniquePointer()) throw new NdrException("a null KERB_VALIDATION_INFO");

        for (int i = 0; i < 12; i++) r.readInt32();                       // six FILETIMEs
        int[][] strings = new int[6][];                                   // EffectiveName .. HomeDirectoryDrive
        for (int i = 0; i < strings.length; i++) strings[i] = unicodeString(r);
        r.readInt16();                                                    // LogonCount
        r.readInt16();                                                    // BadPasswordCount
        long userId = u32(r);
        long primaryGroupId = u32(r);
        int groupCount = r.readInt32();
        boolean hasGroups = r.readUniquePointer();
        long userFlags = u32(r);
        r.readBytes(16);                                                  // UserSessionKey
        int[] logonServer = unicodeString(r);
        int[] logonDomainName = unicodeString(r);
        boolean hasDomainId = r.readUniquePointer();
        for (int i = 0; i < 2 + 1 + 1 + 4 + 1 + 1; i++) r.readInt32();   // Reserved1[2], UAC, SubAuthStatus, 2 FILETIMEs, FailedILogonCount, Reserved3
        int sidCount = r.readInt32();
        boolean hasExtraSids = r.readUniquePointer();
        boolean hasResourceDomain = r.readUniquePointer();
        int resourceGroupCount = r.readInt32();
        boolean hasResourceGroups = r.readUniquePointer();

        // The referents, in the order of their pointers (NDR deferral, C706 14.3.12.3).
        String[] text = new String[strings.length];
        for (int i = 0; i < strings.length; i++) text[i] = chars(r, strings[i]);
        List<Long> groups = hasGroups ? memberships(r, groupCount) : List.of();
        chars(r, logonServer);
        String domainName = chars(r, logonDomainName);
        if (!hasDomainId) throw new NdrException("KERB_VALIDATION_INFO without LogonDomainId");
        Sid domainId = sid(r);
        List<Sid> extra = hasExtraSids ? sidsAndAttributes(r, sidCount) : List.of();
        Sid resourceDomain = hasResourceDomain ? sid(r) : null;
        List<Long> resourceGroups = hasResourceGroups ? memberships(r, resourceGroupCount) : List.of();
        return new KerbValidationInfo(text[0], domainName, domainId, userId, primaryGroupId, groups, userFlags, extra,
                resourceDomain, resourceGroups);
    }

    private static long u32(NdrReader r) {
        return r.readInt32() & 0xFFFFFFFFL;
    }

    /** RPC_UNICODE_STRING's inline part: Length, MaximumLength and whether the buffer pointer is non-null. */
    private static int[] unicodeString(NdrReader r) {
        int length = r.readInt16() & 0xFFFF;
        int maximumLength = r.readInt16() & 0xFFFF;
        return new int[] {length, maximumLength, r.readUniquePointer() ? 1 : 0};
    }

    private static String chars(NdrReader r, int[] string) {
        return string[2] == 0 ? "" : r.readCountedChars(string[0], string[1]);
    }

    /** A conformant array of GROUP_MEMBERSHIP {RelativeId, Attributes}: the RIDs. */
    private static List<Long> memberships(NdrReader r, int count) {
        int n = r.readConformance();
        if (n != count) throw new NdrException("group array of " + n + " where the count says " + count);
        r.checkCount(n, 8);
        List<Long> rids = new ArrayList<>(r.capacity(n));
        for (int i = 0; i < n; i++) {
            rids.add(u32(r));
            r.readInt32();                                                // Attributes
        }
        return rids;
    }

    /** A conformant array of KERB_SID_AND_ATTRIBUTES {PISID Sid, Attributes}, then the SIDs it points to. */
    private static List<Sid> sidsAndAttributes(NdrReader r, int count) {
        int n = r.readConformance();
        if (n != count) throw new NdrException("SID array of " + n + " where the count says " + count);
        r.checkCount(n, 8);
        boolean[] present = new boolean[n];
        for (int i = 0; i < n; i++) {
            present[i] = r.readUniquePointer();
            r.readInt32();                                                // Attributes
        }
        List<Sid> sids = new ArrayList<>(r.capacity(n));
        for (int i = 0; i < n; i++) {
            if (!present[i]) throw new NdrException("a null SID among the extra SIDs");
            sids.add(sid(r));
        }
        return sids;
    }

    /** RPC_SID (MS-DTYP 2.4.2.3), a conformant structure: the count first, then revision, count, authority, RIDs. */
    private static Sid sid(NdrReader r) {
        int conformance = r.readConformance();
        int revision = r.readInt8();
        int count = r.readInt8() & 0xFF;
        if (revision != 1 || count != conformance || count > Sid.MAX_SUB_AUTHORITIES) {
            throw new NdrException("a SID of revision " + revision + " with " + count + " sub-authorities (conformance "
                    + conformance + ")");
        }
        long authority = 0;
        for (byte x : r.readBytes(6)) authority = authority << 8 | (x & 0xFF);   // big-endian whatever the stream's order
        List<Long> subs = new ArrayList<>(count);
        for (int i = 0; i < count; i++) subs.add(u32(r));
        return new Sid(authority, subs);
    }
}
