package dev.weft.ndr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Random;

/**
 * Nested test types with hand-written codecs in the two-pass shape the IDL compiler will generate: a type's
 * {@code writeInline} writes its scalars and referent ids, its {@code writeDeferred} the referents in the same order
 * (C706 14.3.12); on the decode side {@code readInline} fills a small mutable {@code Partial} with the scalars and
 * pointer flags, {@code readDeferred} reads the referents and builds the record.
 *
 * <pre>
 * typedef struct {                                  // Name: the shape of RPC_UNICODE_STRING (MS-DTYP 2.3.10)
 *     unsigned short Length; unsigned short MaximumLength;
 *     [size_is(MaximumLength/2), length_is(Length/2)] wchar_t *Buffer;
 * } Name;
 * typedef struct {
 *     long id; [unique, string] wchar_t *label; [unique] hyper *big;
 *     long used; [length_is(used)] short window[4];
 * } Leaf;
 * typedef [switch_type(short)] union {
 *     [case(1)] long small; [case(2)] hyper large; [case(3)] [unique] Leaf *leaf; [case(4)] Name name; [case(5)] ;
 * } Choice;
 * typedef struct { short tag; [switch_is(tag)] Choice choice; } Item;
 * typedef enum { ... } Kind;
 * typedef struct {                                  // a conformant structure
 *     hyper stamp; GUID id; boolean flag; Kind kind; double ratio; __int3264 size;
 *     long count; [size_is(count)] Item items[];
 * } Bag;
 * typedef struct {                                  // a conformant structure of full pointers
 *     [ptr] Name *title; [string] char tag[16]; short grid[2][3]; float weight; [v1_enum] Mode mode;
 *     long count; [size_is(count), ptr] Leaf *nodes[];
 * } Graph;
 * void Op([in] policy_handle *handle, [in] Bag *bag, [in, unique] Leaf *extra, [in] Graph *graph,
 *         [in] pipe long numbers);
 * </pre>
 *
 * Alignments (NDR / NDR64): Name 4/8, Leaf 4/8, Choice 8/8 (its largest arm, a hyper), Item 8/8, Bag 8/8,
 * Graph 4/8. A structure is aligned to its largest member (C706 14.3.6); NDR64 pads every structure to its
 * alignment (MS-RPCE 2.2.5.3.4.1); conformant structures hoist the count (C706 14.3.7.1).
 */
final class TestModel {
    private TestModel() {
    }

    /** The alignment of a structure whose largest member is a pointer or a count: 4 in NDR, 8 in NDR64. */
    private static int pointerAligned(NdrWriter w) {
        return w.isNdr64() ? 8 : 4;
    }

    private static int pointerAligned(NdrReader r) {
        return r.isNdr64() ? 8 : 4;
    }

    // ================================================================== Name

    record Name(int length, int maximumLength, String buffer) {
        static void writeInline(NdrWriter w, Name v) {
            w.align(pointerAligned(w));
            w.writeInt16(v.length);
            w.writeInt16(v.maximumLength);
            w.writeUniquePointer(v.buffer);
            w.endStruct(8);
        }

        static void writeDeferred(NdrWriter w, Name v) {
            if (v.buffer != null) w.writeCountedChars(v.buffer, v.maximumLength / 2);
        }

        static final class Partial {
            int length;
            int maximumLength;
            boolean hasBuffer;
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            r.align(pointerAligned(r));
            p.length = r.readInt16() & 0xFFFF;
            p.maximumLength = r.readInt16() & 0xFFFF;
            p.hasBuffer = r.readUniquePointer();
            r.endStruct(8);
            return p;
        }

        static Name readDeferred(NdrReader r, Partial p) {
            String buffer = p.hasBuffer ? r.readCountedChars(p.length, p.maximumLength) : null;
            return new Name(p.length, p.maximumLength, buffer);
        }
    }

    // ================================================================== Leaf

    record Leaf(int id, String label, Long big, List<Short> window) {
        static final int WINDOW = 4;

        static void writeInline(NdrWriter w, Leaf v) {
            w.align(pointerAligned(w));
            w.writeInt32(v.id);
            w.writeUniquePointer(v.label);
            w.writeUniquePointer(v.big);
            w.writeInt32(v.window.size());                     // used
            w.writeVariance(0, v.window.size());               // [length_is(used)] short window[4]
            for (short s : v.window) w.writeInt16(s);
            w.endStruct(8);
        }

        static void writeDeferred(NdrWriter w, Leaf v) {
            if (v.label != null) w.writeWideString(v.label);
            if (v.big != null) w.writeInt64(v.big);
        }

        static final class Partial {
            int id;
            boolean hasLabel;
            boolean hasBig;
            List<Short> window;
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            r.align(pointerAligned(r));
            p.id = r.readInt32();
            p.hasLabel = r.readUniquePointer();
            p.hasBig = r.readUniquePointer();
            int used = r.readInt32();
            int actual = r.readVariance(WINDOW);
            if (actual != used || r.lastVarianceOffset() != 0) {
                throw new NdrException("Leaf.window: variance (" + r.lastVarianceOffset() + ", " + actual + ") disagrees with used " + used);
            }
            List<Short> window = new ArrayList<>(actual);
            for (int i = 0; i < actual; i++) window.add(r.readInt16());
            p.window = window;
            r.endStruct(8);
            return p;
        }

        static Leaf readDeferred(NdrReader r, Partial p) {
            String label = p.hasLabel ? r.readWideString() : null;
            Long big = p.hasBig ? r.readInt64() : null;
            return new Leaf(p.id, label, big, p.window);
        }

        /** A whole Leaf as the referent of a pointer: inline part, then its own referents (depth-first). */
        static void write(NdrWriter w, Leaf v) {
            w.enter();
            writeInline(w, v);
            writeDeferred(w, v);
            w.leave();
        }

        static Leaf read(NdrReader r) {
            r.enter();
            Leaf v = readDeferred(r, readInline(r));
            r.leave();
            return v;
        }
    }

    // ================================================================== Choice and Item

    /** The union's arms; {@code Empty} is case 5, which sends nothing after the discriminant. */
    sealed interface Choice {
        record Small(int value) implements Choice {
        }

        record Large(long value) implements Choice {
        }

        record LeafRef(Leaf leaf) implements Choice {
        }

        record Named(Name name) implements Choice {
        }

        record Empty() implements Choice {
        }

        static short tagOf(Choice c) {
            return switch (c) {
                case Small s -> 1;
                case Large l -> 2;
                case LeafRef l -> 3;
                case Named n -> 4;
                case Empty e -> 5;
            };
        }
    }

    record Item(Choice choice) {
        static final int ALIGN = 8;              // max(short, the union's largest arm: hyper)

        static void writeInline(NdrWriter w, Item v) {
            short tag = Choice.tagOf(v.choice);
            w.align(ALIGN);
            w.writeInt16(tag);                   // the switch_is field
            w.beginUnion(8);
            w.writeInt16(tag);                   // the union's own copy of the discriminant (C706 14.3.8)
            switch (v.choice) {
                case Choice.Small s -> w.alignUnionArm(4, 8, false).writeInt32(s.value);
                case Choice.Large l -> w.alignUnionArm(8, 8, false).writeInt64(l.value);
                case Choice.LeafRef l -> {
                    w.alignUnionArm(pointerAligned(w), 8, false);
                    w.writeUniquePointer(l.leaf);
                }
                case Choice.Named n -> {
                    w.alignUnionArm(pointerAligned(w), 8, false);
                    Name.writeInline(w, n.name);
                }
                case Choice.Empty e -> { }
            }
            w.endStruct(ALIGN);
        }

        static void writeDeferred(NdrWriter w, Item v) {
            switch (v.choice) {
                case Choice.LeafRef l when l.leaf != null -> Leaf.write(w, l.leaf);
                case Choice.Named n -> Name.writeDeferred(w, n.name);
                default -> { }
            }
        }

        static final class Partial {
            short tag;
            int small;
            long large;
            boolean hasLeaf;
            Name.Partial name;
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            r.align(ALIGN);
            p.tag = r.readInt16();
            r.beginUnion(8);
            short discriminant = r.readInt16();
            if (discriminant != p.tag) throw new NdrException("union discriminant " + discriminant + " disagrees with switch_is " + p.tag);
            switch (p.tag) {
                case 1 -> p.small = r.alignUnionArm(4, 8, false).readInt32();
                case 2 -> p.large = r.alignUnionArm(8, 8, false).readInt64();
                case 3 -> p.hasLeaf = r.alignUnionArm(pointerAligned(r), 8, false).readUniquePointer();
                case 4 -> p.name = Name.readInline(r.alignUnionArm(pointerAligned(r), 8, false));
                case 5 -> { }
                default -> throw r.badUnionTag(p.tag);
            }
            r.endStruct(ALIGN);
            return p;
        }

        static Item readDeferred(NdrReader r, Partial p) {
            Choice c = switch (p.tag) {
                case 1 -> new Choice.Small(p.small);
                case 2 -> new Choice.Large(p.large);
                case 3 -> new Choice.LeafRef(p.hasLeaf ? Leaf.read(r) : null);
                case 4 -> new Choice.Named(Name.readDeferred(r, p.name));
                default -> new Choice.Empty();
            };
            return new Item(c);
        }
    }

    // ================================================================== Bag (conformant structure)

    record Bag(long stamp, Uuid id, boolean flag, int kind, double ratio, int size, List<Item> items) {
        static final int ALIGN = 8;
        /** The fewest octets an Item takes on the wire: tag and discriminant (case 5). */
        static final int MIN_ITEM_SIZE = 4;

        static void writeInline(NdrWriter w, Bag v) {
            w.writeConformance(v.items.size());      // hoisted to the front of the structure (C706 14.3.7.1)
            w.align(ALIGN);
            w.writeInt64(v.stamp);
            w.writeUuid(v.id);
            w.writeBoolean(v.flag);
            w.writeEnum(v.kind);
            w.writeDouble(v.ratio);
            w.writeInt3264(v.size);
            w.writeInt32(v.items.size());            // count
            for (Item item : v.items) Item.writeInline(w, item);
            w.endStruct(ALIGN);
        }

        static void writeDeferred(NdrWriter w, Bag v) {
            for (Item item : v.items) Item.writeDeferred(w, item);
        }

        static final class Partial {
            long stamp;
            Uuid id;
            boolean flag;
            int kind;
            double ratio;
            int size;
            Item.Partial[] items;
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            int max = r.readConformance();
            r.align(ALIGN);
            p.stamp = r.readInt64();
            p.id = r.readUuid();
            p.flag = r.readBoolean();
            p.kind = r.readEnum();
            p.ratio = r.readDouble();
            p.size = (int) r.readInt3264();
            int count = r.readInt32();
            if (count != max) throw new NdrException("Bag.count " + count + " disagrees with its conformance " + max);
            r.checkCount(max, MIN_ITEM_SIZE);
            List<Item.Partial> items = new ArrayList<>(Math.min(max, 64));
            for (int i = 0; i < max; i++) items.add(Item.readInline(r));
            p.items = items.toArray(new Item.Partial[0]);
            r.endStruct(ALIGN);
            return p;
        }

        static Bag readDeferred(NdrReader r, Partial p) {
            List<Item> items = new ArrayList<>(p.items.length);
            for (Item.Partial item : p.items) items.add(Item.readDeferred(r, item));
            return new Bag(p.stamp, p.id, p.flag, p.kind, p.ratio, p.size, Collections.unmodifiableList(items));
        }
    }

    // ================================================================== Graph (conformant structure of full pointers)

    record Graph(Name title, String tag, List<Short> grid, float weight, int mode, List<Leaf> nodes) {
        static final int TAG_CAPACITY = 16;
        static final int ROWS = 2;
        static final int COLUMNS = 3;

        /** The inline part; returns, per full pointer in order, whether its referent goes in the deferred part. */
        static boolean[] writeInline(NdrWriter w, Graph v) {
            w.writeConformance(v.nodes.size());
            w.align(pointerAligned(w));
            boolean[] send = new boolean[1 + v.nodes.size()];
            send[0] = w.writeFullPointer(v.title);
            if (v.tag.length() + 1 > TAG_CAPACITY) throw new NdrException("Graph.tag too long");
            w.writeAnsiStringBody(v.tag);                        // [string] char tag[16]: a varying array
            for (short s : v.grid) w.writeInt16(s);              // short grid[2][3], row-major
            w.writeFloat(v.weight);
            w.writeV1Enum(v.mode);
            w.writeInt32(v.nodes.size());
            for (int i = 0; i < v.nodes.size(); i++) send[1 + i] = w.writeFullPointer(v.nodes.get(i));
            w.endStruct(8);
            return send;
        }

        static void writeDeferred(NdrWriter w, Graph v, boolean[] send) {
            if (send[0]) {
                w.enter();
                Name.writeInline(w, v.title);
                Name.writeDeferred(w, v.title);
                w.leave();
            }
            for (int i = 0; i < v.nodes.size(); i++) {
                if (send[1 + i]) Leaf.write(w, v.nodes.get(i));
            }
        }

        static final class Partial {
            long title;
            String tag;
            List<Short> grid;
            float weight;
            int mode;
            long[] nodes;
        }

        static Partial readInline(NdrReader r) {
            Partial p = new Partial();
            int max = r.readConformance();
            r.align(pointerAligned(r));
            p.title = r.readPointerId();
            p.tag = r.readAnsiStringBody(TAG_CAPACITY);
            List<Short> grid = new ArrayList<>(ROWS * COLUMNS);
            for (int i = 0; i < ROWS * COLUMNS; i++) grid.add(r.readInt16());
            p.grid = grid;
            p.weight = r.readFloat();
            p.mode = r.readV1Enum();
            int count = r.readInt32();
            if (count != max) throw new NdrException("Graph.count " + count + " disagrees with its conformance " + max);
            r.checkCount(max, r.isNdr64() ? 8 : 4);
            long[] ids = new long[r.capacity(max)];
            for (int i = 0; i < max; i++) {
                if (i == ids.length) ids = Arrays.copyOf(ids, Math.min(max, 2 * ids.length));
                ids[i] = r.readPointerId();
            }
            p.nodes = ids;
            r.endStruct(8);
            return p;
        }

        static Graph readDeferred(NdrReader r, Partial p) {
            Name title = null;
            if (p.title != 0) {
                title = r.fullPointer(p.title, Name.class);
                if (title == null) {
                    r.enter();
                    title = Name.readDeferred(r, Name.readInline(r));
                    r.leave();
                    r.putFullPointer(p.title, title);
                }
            }
            List<Leaf> nodes = new ArrayList<>(p.nodes.length);
            for (long id : p.nodes) {
                Leaf node = null;
                if (id != 0) {
                    node = r.fullPointer(id, Leaf.class);
                    if (node == null) {
                        node = Leaf.read(r);
                        r.putFullPointer(id, node);
                    }
                }
                nodes.add(node);
            }
            return new Graph(title, p.tag, p.grid, p.weight, p.mode, Collections.unmodifiableList(nodes));
        }
    }

    // ================================================================== the operation's request stub

    record Request(ContextHandle handle, Bag bag, Leaf extra, Graph graph, List<List<Integer>> numbers) {

        /** The [in] parameters in order, each with its deferred referents, then the [in] pipe (RPCE-FACTS §10.9). */
        static void write(NdrWriter w, Request v) {
            w.writeContextHandle(v.handle);
            Bag.writeInline(w, v.bag);                           // [in] Bag *bag: a top-level [ref], in place
            Bag.writeDeferred(w, v.bag);
            if (w.writeUniquePointer(v.extra)) Leaf.write(w, v.extra);  // top-level [unique]: referent at once
            boolean[] send = Graph.writeInline(w, v.graph);
            Graph.writeDeferred(w, v.graph, send);
            for (List<Integer> chunk : v.numbers) {
                w.beginPipeChunk(chunk.size());
                for (int n : chunk) w.writeInt32(n);
                w.endPipeChunk(chunk.size());
            }
            w.writePipeEnd();
        }

        static Request read(NdrReader r) {
            ContextHandle handle = r.readContextHandle();
            Bag bag = Bag.readDeferred(r, Bag.readInline(r));
            Leaf extra = r.readUniquePointer() ? Leaf.read(r) : null;
            Graph graph = Graph.readDeferred(r, Graph.readInline(r));
            List<List<Integer>> numbers = new ArrayList<>();
            for (int n; (n = r.beginPipeChunk()) != 0; ) {
                int[] elements = r.readInt32s(n);
                List<Integer> chunk = new ArrayList<>(n);
                for (int e : elements) chunk.add(e);
                numbers.add(chunk);
                r.endPipeChunk(n);
            }
            r.endPipeChunk(0);
            r.expectEnd();
            return new Request(handle, bag, extra, graph, numbers);
        }

        static byte[] encode(TransferSyntax syntax, Request v) {
            NdrWriter w = new NdrWriter(syntax, 512);
            write(w, v);
            return w.toByteArray();
        }

        static Request decode(TransferSyntax syntax, byte[] stub) {
            return read(new NdrReader(syntax, stub));
        }
    }

    // ================================================================== random values

    /** Seeded random values of the test types; full pointers in a Graph alias each other now and then. */
    static final class Generator {
        private final Random random;

        Generator(Random random) {
            this.random = random;
        }

        /** Mostly printable, sometimes anything: surrogates (paired or not), Latin-1, CJK; never NUL. */
        private String text(int maxLength) {
            int n = random.nextInt(maxLength + 1);
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) {
                sb.append(switch (random.nextInt(4)) {
                    case 0 -> (char) (0x20 + random.nextInt(0x5f));
                    case 1 -> (char) (0xd800 + random.nextInt(0x800));
                    case 2 -> (char) (1 + random.nextInt(0xff));
                    default -> (char) (1 + random.nextInt(0xffff));
                });
            }
            return sb.toString();
        }

        private String latin1(int maxLength) {
            int n = random.nextInt(maxLength + 1);
            StringBuilder sb = new StringBuilder(n);
            for (int i = 0; i < n; i++) sb.append((char) (1 + random.nextInt(0xff)));
            return sb.toString();
        }

        Name name() {
            if (random.nextInt(5) == 0) return new Name(0, 2 * random.nextInt(4), null);
            String s = text(10);
            if (random.nextBoolean() && !s.isEmpty()) s = s.replace(s.charAt(0), '\0'); // counted strings may hold NULs
            int extra = random.nextInt(4);
            return new Name(2 * s.length(), 2 * (s.length() + extra), s);
        }

        Leaf leaf() {
            List<Short> window = new ArrayList<>();
            for (int i = random.nextInt(Leaf.WINDOW + 1); i > 0; i--) window.add((short) random.nextInt());
            return new Leaf(random.nextInt(), random.nextInt(3) == 0 ? null : text(12),
                    random.nextInt(3) == 0 ? null : random.nextLong(), List.copyOf(window));
        }

        Item item() {
            return new Item(switch (random.nextInt(5)) {
                case 0 -> new Choice.Small(random.nextInt());
                case 1 -> new Choice.Large(random.nextLong());
                case 2 -> new Choice.LeafRef(random.nextInt(4) == 0 ? null : leaf());
                case 3 -> new Choice.Named(name());
                default -> new Choice.Empty();
            });
        }

        Bag bag() {
            List<Item> items = new ArrayList<>();
            for (int i = random.nextInt(7); i > 0; i--) items.add(item());
            return new Bag(random.nextLong(), new Uuid(random.nextLong(), random.nextLong()), random.nextBoolean(),
                    random.nextInt(6), random.nextGaussian() * 1e6, random.nextInt(), List.copyOf(items));
        }

        Graph graph() {
            List<Leaf> pool = new ArrayList<>();
            for (int i = 1 + random.nextInt(3); i > 0; i--) pool.add(leaf());
            List<Leaf> nodes = new ArrayList<>();
            for (int i = random.nextInt(6); i > 0; i--) {
                nodes.add(random.nextInt(5) == 0 ? null : pool.get(random.nextInt(pool.size())));  // aliases
            }
            List<Short> grid = new ArrayList<>();
            for (int i = 0; i < Graph.ROWS * Graph.COLUMNS; i++) grid.add((short) random.nextInt());
            return new Graph(random.nextInt(4) == 0 ? null : name(), latin1(Graph.TAG_CAPACITY - 1), List.copyOf(grid),
                    random.nextFloat() * 1000f - 500f, random.nextInt(), Collections.unmodifiableList(nodes));
        }

        Request request() {
            List<List<Integer>> numbers = new ArrayList<>();
            for (int c = random.nextInt(4); c > 0; c--) {
                List<Integer> chunk = new ArrayList<>();
                for (int i = 1 + random.nextInt(20); i > 0; i--) chunk.add(random.nextInt());
                numbers.add(List.copyOf(chunk));
            }
            return new Request(new ContextHandle(random.nextInt(), new Uuid(random.nextLong(), random.nextLong())),
                    bag(), random.nextBoolean() ? leaf() : null, graph(), List.copyOf(numbers));
        }
    }

    /** Whether two graphs alias their full pointers the same way: equal objects by identity in the same places. */
    static boolean sameAliasing(Graph a, Graph b) {
        List<Object> pa = new ArrayList<>();
        List<Object> pb = new ArrayList<>();
        pa.add(a.title);
        pa.addAll(a.nodes);
        pb.add(b.title);
        pb.addAll(b.nodes);
        if (pa.size() != pb.size()) return false;
        IdentityHashMap<Object, Object> map = new IdentityHashMap<>();
        IdentityHashMap<Object, Object> back = new IdentityHashMap<>();
        for (int i = 0; i < pa.size(); i++) {
            Object x = pa.get(i);
            Object y = pb.get(i);
            if (x == null || y == null) {
                if (x != y) return false;
                continue;
            }
            if (!Objects.equals(map.computeIfAbsent(x, k -> y), y)) return false;
            if (back.computeIfAbsent(y, k -> x) != x) return false;
            if (map.get(x) != y) return false;
        }
        return true;
    }
}
