package dev.weft.security.kerberos;

import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityContextException.Reason;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;

/**
 * A Kerberos client's credentials: a JAAS {@link Subject} holding a TGT, obtained either by logging in with a
 * password (the JDK's {@code Krb5LoginModule}, no JAAS configuration file needed) or given by the caller. The KDC
 * and realm come from the JDK's Kerberos configuration ({@code java.security.krb5.conf}, or {@code /etc/krb5.conf}).
 * Service tickets JGSS obtains are added to the subject and reused.
 */
public final class KerberosCredentials {

    private final String principal;
    private final char[] password;
    private final ReentrantLock lock = new ReentrantLock();
    private Subject subject;

    private KerberosCredentials(String principal, char[] password, Subject subject) {
        this.principal = principal;
        this.password = password;
        this.subject = subject;
    }

    /**
     * Logs in on first use with a password.
     *
     * @param principal {@code user@REALM} (or {@code user} in the default realm)
     */
    public static KerberosCredentials password(String principal, char[] password) {
        return new KerberosCredentials(Objects.requireNonNull(principal, "principal"), password.clone(), null);
    }

    /** A subject that already holds a TGT (from a JAAS login of the caller's choice). */
    public static KerberosCredentials subject(Subject subject) {
        return new KerberosCredentials(null, null, Objects.requireNonNull(subject, "subject"));
    }

    /**
     * The subject, logging in first when needed: its private credentials hold the TGT and the service tickets JGSS
     * obtained (whose {@code getSessionKeyType()} tells which encryption type a service was reached with).
     */
    public Subject subject() {
        lock.lock();
        try {
            if (subject == null) subject = login();
            return subject;
        } finally {
            lock.unlock();
        }
    }

    /** The client principal of the subject. */
    KerberosPrincipal principal() {
        return subject().getPrincipals(KerberosPrincipal.class).stream().findFirst()
                .orElseThrow(() -> new SecurityContextException(Reason.LOGON_DENIED, "the subject has no Kerberos principal"));
    }

    private Subject login() {
        Configuration config = new Configuration() {
            @Override
            public AppConfigurationEntry[] getAppConfigurationEntry(String name) {
                return new AppConfigurationEntry[] {new AppConfigurationEntry(
                        "com.sun.security.auth.module.Krb5LoginModule",
                        AppConfigurationEntry.LoginModuleControlFlag.REQUIRED,
                        Map.of("principal", principal, "useTicketCache", "false", "doNotPrompt", "false",
                                "refreshKrb5Config", "true"))};
            }
        };
        try {
            LoginContext lc = new LoginContext("weft-kerberos", new Subject(), callbacks -> {
                for (Callback c : callbacks) {
                    if (c instanceof NameCallback n) n.setName(principal);
                    else if (c instanceof PasswordCallback p) p.setPassword(Arrays.copyOf(password, password.length));
                    else throw new UnsupportedCallbackException(c);
                }
            }, config);
            lc.login();
            return lc.getSubject();
        } catch (LoginException e) {
            SecurityContextException s = new SecurityContextException(Reason.LOGON_DENIED,
                    "Kerberos login of " + principal + " failed: " + e.getMessage());
            s.initCause(e);
            throw s;
        }
    }
}
