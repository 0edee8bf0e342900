package dev.weft.transport;

/**
 * A string binding that does not parse: the message names the position (0-based, in characters) and what was
 * expected there.
 */
public final class MalformedBindingException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final String input;
    private final int position;

    public MalformedBindingException(String input, int position, String problem) {
        super("malformed string binding at position " + position + ": " + problem + " in \"" + input + "\"");
        this.input = input;
        this.position = position;
    }

    /** The text that failed to parse. */
    public String input() {
        return input;
    }

    /** The 0-based character position of the problem (may equal the input's length: "at the end"). */
    public int position() {
        return position;
    }
}
