package dev.weft.fuzz;

/** Runs one input once against a target and says whether the target's properties held. */
public final class Replay {
    private Replay() {
    }

    /** {@code ok} when the input was accepted or rejected with a typed error; else the failure. */
    public record Result(boolean ok, String outcome, Throwable failure) {
        @Override
        public String toString() {
            return ok ? outcome : "FAILED: " + Finding.traceOf(failure);
        }
    }

    /** Runs {@code input} on {@code target}, whose seeds have been built (stubs needs them to know its operations). */
    public static Result run(Target target, byte[] input) {
        try {
            String accepted = target.execute(input);
            target.settle();
            return new Result(true, "accepted: " + accepted, null);
        } catch (Target.PropertyViolation v) {
            return new Result(false, "property", v);
        } catch (Throwable t) {
            if (target.allowed(t)) return new Result(true, "rejected: " + t, null);
            return new Result(false, "untyped", t);
        }
    }
}
