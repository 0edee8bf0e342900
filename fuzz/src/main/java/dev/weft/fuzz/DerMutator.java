package dev.weft.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Mutations of DER that keep it DER: the bytes are parsed into a tree of TLVs, one node is changed (its content
 * mutated or replaced by an interesting value, a child dropped, duplicated or moved, a tag changed), and the tree is
 * written again with every enclosing length recomputed. So a mutated Kerberos ticket still parses as far as the field
 * that was changed, and the checks behind the parser (times, names, key types, checksum flags) get the odd values.
 */
final class DerMutator {

    /** One TLV: a constructed one keeps its children, a primitive one its content. */
    static final class Node {
        int tag;
        byte[] content;
        List<Node> children;

        Node(int tag, byte[] content, List<Node> children) {
            this.tag = tag;
            this.content = content;
            this.children = children;
        }

        Node copy() {
            List<Node> c = null;
            if (children != null) {
                c = new ArrayList<>(children.size());
                for (Node n : children) c.add(n.copy());
            }
            return new Node(tag, content == null ? null : content.clone(), c);
        }
    }

    private static final String[] TIMES = {"20000101000000Z", "99991231235959Z", "20241301000000Z", "20240230000000Z",
            "20240101246000Z", "2024010100000Z", "202401010000000Z", "20240101000000", "19700101000000Z", "00000000000000Z",
            "20240101000060Z", "+2024010100000Z"};
    private static final long[] INTEGERS = {0, 1, -1, 5, 14, 15, 16, 17, 18, 23, 0x7F, 0x80, 0xFF, 0x8003, 0x7FFFFFFFL,
            0x80000000L, 0xFFFFFFFFL, 0x100000000L, Long.MAX_VALUE, Long.MIN_VALUE};

    private final Mutator bytes = new Mutator(70_000);

    /** A structurally valid mutation of {@code der}, or null when it does not parse as DER. */
    byte[] mutate(byte[] der, Random r) {
        List<Node> top = parse(der, 0, der.length, 0);
        if (top == null || top.isEmpty()) return null;
        List<Node> all = new ArrayList<>();
        List<Node> parents = new ArrayList<>();
        for (Node n : top) collect(n, all, parents);
        int n = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int i = 0; i < n; i++) once(all, parents, r);
        ByteArrayOutputStream out = new ByteArrayOutputStream(der.length + 16);
        for (Node t : top) write(t, out, r);
        return out.toByteArray();
    }

    private void once(List<Node> all, List<Node> parents, Random r) {
        Node node = all.get(r.nextInt(all.size()));
        switch (r.nextInt(10)) {
            case 0, 1, 2 -> { // the content of a primitive
                if (node.content == null) return;
                node.content = switch (node.tag) {
                    case 0x02 -> r.nextBoolean() ? integer(INTEGERS[r.nextInt(INTEGERS.length)])
                            : bytes.mutate(node.content, 0, r, List.of());
                    case 0x18 -> TIMES[r.nextInt(TIMES.length)].getBytes(StandardCharsets.US_ASCII);
                    default -> bytes.mutate(node.content, 0, r, List.of());
                };
            }
            case 3 -> { // an interesting length of content
                if (node.content == null) return;
                int len = switch (r.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> node.content.length + 1;
                    case 2 -> Math.max(0, node.content.length - 1);
                    default -> 16 + r.nextInt(300);
                };
                byte[] c = new byte[len];
                System.arraycopy(node.content, 0, c, 0, Math.min(len, node.content.length));
                node.content = c;
            }
            case 4 -> { // drop a child
                if (node.children != null && !node.children.isEmpty()) node.children.remove(r.nextInt(node.children.size()));
            }
            case 5 -> { // duplicate a child
                if (node.children != null && !node.children.isEmpty() && node.children.size() < 64) {
                    int i = r.nextInt(node.children.size());
                    node.children.add(r.nextInt(node.children.size() + 1), node.children.get(i).copy());
                }
            }
            case 6 -> { // swap two children
                if (node.children != null && node.children.size() > 1) {
                    int i = r.nextInt(node.children.size());
                    int j = r.nextInt(node.children.size());
                    Node t = node.children.get(i);
                    node.children.set(i, node.children.get(j));
                    node.children.set(j, t);
                }
            }
            case 7 -> { // another tag: a neighbouring context tag, or another universal type
                int t = node.tag;
                if ((t & 0xC0) == 0x80 || (t & 0xC0) == 0x40) {
                    int number = Math.max(0, Math.min(30, (t & 0x1F) + (r.nextBoolean() ? 1 : -1)));
                    node.tag = (t & 0xE0) | number;
                } else {
                    int[] universal = {0x02, 0x03, 0x04, 0x05, 0x06, 0x0A, 0x0C, 0x18, 0x1B, 0x30, 0x31};
                    int nt = universal[r.nextInt(universal.length)];
                    if ((nt & 0x20) != 0 && node.children == null || (nt & 0x20) == 0 && node.children != null) return;
                    node.tag = nt;
                }
            }
            case 8 -> { // a child replaced by a copy of another node (a subtree where it does not belong)
                if (node.children != null && !node.children.isEmpty()) {
                    Node other = all.get(r.nextInt(all.size()));
                    if (!contains(other, node)) node.children.set(r.nextInt(node.children.size()), other.copy());
                }
            }
            default -> { // a primitive turned into an empty constructed node or the other way round
                if (node.children != null) {
                    node.children = null;
                    node.content = new byte[0];
                    node.tag &= ~0x20;
                } else {
                    node.children = new ArrayList<>();
                    node.content = null;
                    node.tag |= 0x20;
                }
            }
        }
    }

    private static boolean contains(Node outer, Node inner) {
        if (outer == inner) return true;
        if (outer.children != null) for (Node c : outer.children) if (contains(c, inner)) return true;
        return false;
    }

    private static void collect(Node n, List<Node> all, List<Node> parents) {
        all.add(n);
        if (n.children != null) {
            parents.add(n);
            for (Node c : n.children) collect(c, all, parents);
        }
    }

    /** The TLVs of {@code [from, to)}, or null when they are not DER (constructed ones parsed into children). */
    static List<Node> parse(byte[] b, int from, int to, int depth) {
        if (depth > 32) return null;
        List<Node> out = new ArrayList<>();
        int p = from;
        while (p < to) {
            int tag = b[p++] & 0xFF;
            if ((tag & 0x1F) == 0x1F || p >= to) return null;
            int first = b[p++] & 0xFF;
            long len;
            if (first < 0x80) {
                len = first;
            } else {
                int n = first & 0x7F;
                if (n == 0 || n > 4 || to - p < n) return null;
                len = 0;
                for (int i = 0; i < n; i++) len = len << 8 | (b[p++] & 0xFF);
            }
            if (len > to - p) return null;
            int end = p + (int) len;
            List<Node> children = (tag & 0x20) != 0 ? parse(b, p, end, depth + 1) : null;
            if ((tag & 0x20) != 0 && children == null) return null;
            byte[] content = children == null ? java.util.Arrays.copyOfRange(b, p, end) : null;
            out.add(new Node(tag, content, children));
            p = end;
        }
        return out;
    }

    /** Writes a node with minimal lengths, or now and then the long form (which a DER reader may refuse). */
    private static void write(Node n, ByteArrayOutputStream out, Random r) {
        byte[] content;
        if (n.children != null) {
            ByteArrayOutputStream inner = new ByteArrayOutputStream();
            for (Node c : n.children) write(c, inner, r);
            content = inner.toByteArray();
        } else {
            content = n.content;
        }
        out.write(n.tag);
        int len = content.length;
        if (len < 0x80 && r.nextInt(200) != 0) {
            out.write(len);
        } else if (len <= 0xFF) {
            out.write(0x81);
            out.write(len);
        } else if (len <= 0xFFFF) {
            out.write(0x82);
            out.write(len >>> 8);
            out.write(len);
        } else {
            out.write(0x83);
            out.write(len >>> 16);
            out.write(len >>> 8);
            out.write(len);
        }
        out.writeBytes(content);
    }

    /** A DER INTEGER's content octets for {@code v} (two's complement, minimal). */
    static byte[] integer(long v) {
        return java.math.BigInteger.valueOf(v).toByteArray();
    }
}
