package dev.weft.server;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A call between its last request fragment and its answer. Cancellation interrupts the call's thread only while
 * the service runs: the state changes under one lock, so once the call has moved on to writing its answer no
 * interrupt can reach it (interrupting a virtual thread in socket I/O would close the socket).
 */
final class ActiveCall {
    enum State { NEW, RUNNING, CANCELLED, ORPHANED, ANSWERING }

    final int callId;
    volatile Thread thread;
    volatile ServerCall serverCall;
    private final ReentrantLock lock = new ReentrantLock();
    private State state = State.NEW;
    /** The call's own thread is writing response fragments while its service runs (a streamed [out] pipe). */
    private boolean inIo;
    /** A cancel arrived during socket I/O: delivered when the write is done. */
    private boolean interruptPending;

    ActiveCall(int callId) {
        this.callId = callId;
    }

    /** Moves to RUNNING; false when the call was cancelled before it started. */
    boolean startRunning() {
        lock.lock();
        try {
            if (state != State.NEW) return false;
            state = State.RUNNING;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** co_cancel (or orphaned): interrupts the service if it is running. */
    void cancel(boolean orphaned) {
        lock.lock();
        try {
            if (state == State.NEW || state == State.RUNNING) {
                boolean running = state == State.RUNNING;
                state = orphaned ? State.ORPHANED : State.CANCELLED;
                ServerCall sc = serverCall;
                if (sc != null) sc.cancel();
                if (running && thread != null) {
                    if (inIo) interruptPending = true;
                    else thread.interrupt();
                }
            } else if (orphaned && state == State.CANCELLED) {
                state = State.ORPHANED;
            }
        } finally {
            lock.unlock();
        }
    }

    /**
     * Before the call's own thread writes to the socket while its service may still run (streamed responses): from
     * here to {@link #endIo} a cancel does not interrupt it, since an interrupted virtual thread in socket I/O closes
     * the socket. Returns false when the call was cancelled already; it must not write then.
     */
    boolean beginIo() {
        lock.lock();
        try {
            if (state == State.CANCELLED || state == State.ORPHANED || Thread.currentThread().isInterrupted()) {
                return false;
            }
            inIo = true;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** The write is done: a cancel that came meanwhile interrupts the service now. */
    void endIo() {
        lock.lock();
        try {
            inIo = false;
            if (interruptPending) {
                interruptPending = false;
                Thread.currentThread().interrupt();
            }
        } finally {
            lock.unlock();
        }
    }

    /** The service returned: ends cancellation and clears any interrupt; returns how the call ended. */
    State finish() {
        lock.lock();
        try {
            State ended = state;
            if (state == State.RUNNING || state == State.NEW) state = State.ANSWERING;
            interruptPending = false;
            Thread.interrupted();
            return ended;
        } finally {
            lock.unlock();
        }
    }
}
