package dev.weft.server;

import dev.weft.ndr.ContextHandle;
import dev.weft.ndr.NdrReader;
import dev.weft.ndr.SyntaxId;
import dev.weft.ndr.Uuid;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;

/**
 * A small interface for raw-protocol tests, coded by hand on the NDR runtime:
 * 0 echo(conformant byte array) → the same array; 1 pend(long id) → waits until released or cancelled, returns id;
 * 2 open(long value) → context handle; 3 get(handle) → value; 4 close(handle) → NULL handle.
 */
final class TestService implements RpcService {
    static final SyntaxId ID = new SyntaxId(Uuid.parse("5eb1a0e7-0000-4e57-8000-0000000000aa"), 1, 0);
    static final int ECHO = 0, PEND = 1, OPEN = 2, GET = 3, CLOSE = 4;

    final Semaphore release = new Semaphore(0);
    final CountDownLatch pendingStarted;
    final List<Integer> rundowns = new CopyOnWriteArrayList<>();
    final List<Integer> cancelled = new CopyOnWriteArrayList<>();

    TestService(int expectedPending) {
        pendingStarted = new CountDownLatch(expectedPending);
    }

    @Override
    public SyntaxId interfaceId() {
        return ID;
    }

    @Override
    public int operationCount() {
        return 5;
    }

    @Override
    public void invoke(int opnum, ServerCall call) throws Exception {
        NdrReader in = call.in();
        switch (opnum) {
            case ECHO -> {
                byte[] data = in.readBytes(in.readConformance());
                in.expectEnd();
                call.out().writeConformance(data.length).writeBytes(data);
            }
            case PEND -> {
                int id = in.readInt32();
                pendingStarted.countDown();
                try {
                    release.acquire();
                } catch (InterruptedException e) {
                    cancelled.add(id);
                    throw e;
                }
                call.out().writeInt32(id);
            }
            case OPEN -> call.out().writeContextHandle(call.openContextHandle(in.readInt32()));
            case GET -> call.out().writeInt32(call.contextHandle(in.readContextHandle(), Integer.class));
            case CLOSE -> {
                call.closeContextHandle(in.readContextHandle());
                call.out().writeContextHandle(ContextHandle.NULL);
            }
            default -> throw new IllegalStateException("opnum " + opnum);
        }
    }

    @Override
    public void rundown(ContextHandle handle, Object state) {
        rundowns.add((Integer) state);
    }
}
