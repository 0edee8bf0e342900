package dev.weft.fuzz;

import dev.weft.security.Protection;
import dev.weft.security.SecurityContext;
import dev.weft.security.SecurityContextException;
import dev.weft.security.SecurityProvider;
import dev.weft.security.Step;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * (d) NTLMSSP ({@code ntlm}) and SPNEGO ({@code spnego}) token parsing through the public {@code step()} of fresh
 * contexts. The first byte of an input chooses the leg (the rest of the 8-byte prefix is padding that keeps the
 * token 8-aligned):
 * <ol start="0">
 *   <li>server step with the client's first token (NEGOTIATE, negTokenInit);</li>
 *   <li>server step with the client's second token (AUTHENTICATE, negTokenResp) after a real first leg. The seeds
 *       answer another server's challenge, so the server parses everything and then refuses the proof;</li>
 *   <li>client step with the server's first answer (CHALLENGE, negTokenResp) after a real first leg;</li>
 *   <li>(SPNEGO) client step with the server's last token (accept-completed with its mechListMIC) after a real
 *       exchange up to that point: this one can succeed, and is checked to reach a complete context.</li>
 * </ol>
 * Typed error: {@link SecurityContextException}. There is no public token encoder, so no round trip.
 */
final class SecurityTarget implements Target {
    private final String name;
    private final SecurityProvider client;
    private final SecurityProvider server;

    SecurityTarget(String name, SecurityProvider client, SecurityProvider server) {
        this.name = name;
        this.client = client;
        this.server = server;
    }

    static SecurityTarget ntlm() {
        return new SecurityTarget("ntlm", Tokens.NTLM_CLIENT, Tokens.NTLM_SERVER);
    }

    static SecurityTarget spnego() {
        return new SecurityTarget("spnego", Tokens.SPNEGO_CLIENT, Tokens.SPNEGO_SERVER);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int prefix() {
        return 8;
    }

    @Override
    public List<byte[]> seeds(Random random) {
        List<byte[]> seeds = new ArrayList<>();
        for (Protection p : Protection.values()) {
            List<byte[]> t = Tokens.exchange(client, server, p);
            for (int leg = 0; leg < Math.min(t.size(), 4); leg++) {
                if (t.get(leg).length == 0) continue;
                // token 0: client→server leg 0; 1: server→client leg 2; 2: client→server leg 1; 3: server→client leg 3
                int selector = switch (leg) {
                    case 0 -> 0;
                    case 1 -> 2;
                    case 2 -> 1;
                    default -> 3;
                };
                seeds.add(withPrefix(selector, t.get(leg)));
            }
        }
        return seeds;
    }

    static byte[] withPrefix(int selector, byte[] token) {
        byte[] b = new byte[8 + token.length];
        b[0] = (byte) selector;
        System.arraycopy(token, 0, b, 8, token.length);
        return b;
    }

    @Override
    public String execute(byte[] input) {
        int leg = input.length == 0 ? 0 : (input[0] & 0xFF) % 4;
        byte[] token = input.length <= 8 ? new byte[0] : Arrays.copyOfRange(input, 8, input.length);
        Step step;
        SecurityContext who;
        switch (leg) {
            case 0 -> {
                who = server.newServerContext();
                step = who.step(token);
            }
            case 1 -> {
                who = server.newServerContext();
                who.step(client.newClientContext(Protection.INTEGRITY, "host/weft").step(new byte[0]).token());
                step = who.step(token);
            }
            case 2 -> {
                who = client.newClientContext(Protection.INTEGRITY, "host/weft");
                who.step(new byte[0]);
                step = who.step(token);
            }
            default -> {
                SecurityContext c = client.newClientContext(Protection.INTEGRITY, "host/weft");
                SecurityContext s = server.newServerContext();
                byte[] t = c.step(new byte[0]).token();
                t = s.step(t).token();
                t = c.step(t).token();
                s.step(t);
                if (c.isComplete()) return "client complete before its last leg";
                who = c;
                step = c.step(token);
            }
        }
        if (step instanceof Step.Complete && !who.isComplete()) {
            throw new PropertyViolation("step() answered Complete but the context is not complete");
        }
        if (who.isComplete() && leg != 0) {
            // An established context must give its identity and key without failing.
            who.identity();
            if (who.sessionKey() == null) throw new PropertyViolation("complete context without a session key");
        }
        return "leg " + leg + " " + step.getClass().getSimpleName() + " " + Integer.numberOfTrailingZeros(Integer.highestOneBit(step.token().length + 1));
    }

    @Override
    public boolean allowed(Throwable t) {
        return t instanceof SecurityContextException;
    }

    @Override
    public long allocationBound(byte[] input) {
        return 64L * input.length + 512 * 1024;
    }
}
