package dev.weft.security.ntlm;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * What an NTLM server says about itself in the CHALLENGE_MESSAGE's TargetInfo (MS-NLMP 2.2.2.1) and how strict it
 * is.
 *
 * @param netbiosDomain   MsvAvNbDomainName, also the TargetName
 * @param netbiosComputer MsvAvNbComputerName
 * @param dnsDomain       MsvAvDnsDomainName (may be empty)
 * @param dnsComputer     MsvAvDnsComputerName (may be empty)
 * @param allowAnonymous  whether an anonymous AUTHENTICATE_MESSAGE is accepted
 * @param maxClockSkew    how far the NTLMv2 response's timestamp may be from now (MS-NLMP 3.2.5.1.2, MaxLifetime)
 * @param clock           the time source for the challenge timestamp and the skew check
 */
public record NtlmServerConfig(String netbiosDomain, String netbiosComputer, String dnsDomain, String dnsComputer,
                               boolean allowAnonymous, Duration maxClockSkew, Clock clock) {

    public NtlmServerConfig {
        Objects.requireNonNull(netbiosDomain);
        Objects.requireNonNull(netbiosComputer);
        Objects.requireNonNull(dnsDomain);
        Objects.requireNonNull(dnsComputer);
        Objects.requireNonNull(maxClockSkew);
        Objects.requireNonNull(clock);
    }

    /** WORKGROUP / WEFT, no DNS names, anonymous refused, 36 hours of skew (Windows' MaxLifetime default). */
    public static NtlmServerConfig defaults() {
        return new NtlmServerConfig("WORKGROUP", "WEFT", "", "", false, Duration.ofHours(36), Clock.systemUTC());
    }

    public NtlmServerConfig withNames(String netbiosDomain, String netbiosComputer, String dnsDomain,
                                      String dnsComputer) {
        return new NtlmServerConfig(netbiosDomain, netbiosComputer, dnsDomain, dnsComputer, allowAnonymous,
                maxClockSkew, clock);
    }

    public NtlmServerConfig withAnonymous(boolean allow) {
        return new NtlmServerConfig(netbiosDomain, netbiosComputer, dnsDomain, dnsComputer, allow, maxClockSkew, clock);
    }

    public NtlmServerConfig withClock(Clock c) {
        return new NtlmServerConfig(netbiosDomain, netbiosComputer, dnsDomain, dnsComputer, allowAnonymous,
                maxClockSkew, c);
    }
}
