package dev.weft.idl.model;

/**
 * An interface version, {@code version(major.minor)}.
 *
 * @param major major version (0..65535)
 * @param minor minor version (0..65535)
 */
public record Version(int major, int minor) {
    @Override
    public String toString() {
        return major + "." + minor;
    }
}
