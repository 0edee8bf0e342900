package dev.weft.interfaces.dssetup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import dev.weft.interfaces.CapturedBinding;
import dev.weft.interfaces.SambaCapture;
import dev.weft.interfaces.dssetup.Dssetup.DsroleMachineRole;
import dev.weft.interfaces.dssetup.Dssetup.DsroleOperationState;
import dev.weft.interfaces.dssetup.Dssetup.DsrolePrimaryDomainInfoLevel;
import dev.weft.interfaces.dssetup.Dssetup.DsrolerPrimaryDomainInformation;
import org.junit.jupiter.api.Test;

/**
 * DsRolerGetPrimaryDomainInformation at its three levels, as smbtorture's rpc.dssetup asked the Samba 4.17 AD DC
 * ({@code dssetup/samba-4.17-dssetup-tcp.txt}, recorded by {@code tools/interop/capture-samba.sh}), as a Weft user
 * calls it. Wireshark 4.0 calls Samba's level-3 answer malformed; it is the 12 bytes MS-DSSP's IDL gives (the
 * pointer, the 16-bit level, the 16-bit state, the status), which Weft decodes and re-encodes exactly.
 */
class DssetupSambaCaptureTest {
    static final SambaCapture CAPTURE = SambaCapture.load("dssetup/samba-4.17-dssetup-tcp.txt");

    static Dssetup.DsRolerGetPrimaryDomainInformationResult level(int level) {
        CapturedBinding b = CapturedBinding.of(CAPTURE, "primary-domain-information-" + level);
        var r = Dssetup.client(b).dsRolerGetPrimaryDomainInformation(DsrolePrimaryDomainInfoLevel.of(level));
        b.assertSentSambasRequest();
        assertEquals(0, r.result());
        return r;
    }

    @Test
    void theThreeLevels() {
        var basic = assertInstanceOf(DsrolerPrimaryDomainInformation.DomainInfoBasic.class, level(1).domainInfo()).domainInfoBasic();
        assertEquals(DsroleMachineRole.DsRole_RolePrimaryDomainController, basic.machineRole());
        assertEquals("RPCTEST", basic.domainNameFlat());
        assertEquals("rpctest.local", basic.domainNameDns());
        assertEquals("rpctest.local", basic.domainForestName());
        var upgrade = assertInstanceOf(DsrolerPrimaryDomainInformation.UpgradStatusInfo.class, level(2).domainInfo()).upgradStatusInfo();
        assertEquals(0, upgrade.operationState(), "no upgrade in progress");
        var state = assertInstanceOf(DsrolerPrimaryDomainInformation.OperationStateInfo.class, level(3).domainInfo()).operationStateInfo();
        assertEquals(DsroleOperationState.DsRoleOperationIdle, state.operationState());
        assertEquals("000002000300000000000000", java.util.HexFormat.of().formatHex(CAPTURE.get("primary-domain-information-3").response()));
    }
}
