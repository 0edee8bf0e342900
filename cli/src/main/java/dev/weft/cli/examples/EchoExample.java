package dev.weft.cli.examples;

import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoInfo;
import dev.weft.server.FaultException;
import dev.weft.server.ServerCall;

/**
 * rpcecho (Samba's echo pipe, 60a15ec5-4de8-11d7-a637-005056a20182 v1.0) answering as smbtorture's
 * {@code rpc.echo} expects: AddOne adds one, EchoData echoes, SinkData swallows, SourceData counts bytes up
 * ({@code byte i = i & 0xff}), TestCall returns its string, TestCall2 fills levels 1..7 with 10..90, TestSleep
 * blocks its own virtual thread (a pending call: the connection keeps serving others meanwhile), TestEnum
 * hands its arguments back, TestSurrounding doubles the array, TestDoublePointer follows its pointers.
 *
 * <p>The example of a service written against a generated skeleton: {@code RpcEcho.service(new EchoExample())}.
 */
public final class EchoExample implements RpcEcho.Server {
    /** NTSTATUS STATUS_INVALID_LEVEL: what Samba answers for a TestCall2 level it has no arm for. */
    public static final int NT_STATUS_INVALID_LEVEL = 0xC0000148;
    /** The longest TestSleep honoured, so one call cannot park a thread for 136 years. */
    static final int MAX_SLEEP_SECONDS = 3600;

    @Override
    public int addOne(ServerCall call, int inData) {
        return inData + 1; // wraps at 2^32, as smbtorture expects
    }

    @Override
    public byte[] echoData(ServerCall call, int len, byte[] inData) {
        return inData; // the skeleton hands us a fresh array and encodes it before anyone else sees it
    }

    @Override
    public void sinkData(ServerCall call, int len, byte[] data) {
    }

    @Override
    public byte[] sourceData(ServerCall call, int len) {
        // len was checked against the request limits by nobody (it is an [in] count of an [out] array), so
        // bound it here: a 4-byte request must not make the server allocate gigabytes.
        if (Integer.compareUnsigned(len, 64 * 1024 * 1024) > 0) {
            throw new FaultException(0x6F7, "SourceData of " + Integer.toUnsignedString(len) + " bytes"); // RPC_X_BAD_STUB_DATA
        }
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) data[i] = (byte) i;
        return data;
    }

    @Override
    public String testCall(ServerCall call, String s1) {
        return s1;
    }

    @Override
    public RpcEcho.TestCall2Result testCall2(ServerCall call, short level) {
        EchoInfo info = switch (level) {
            case 1 -> new EchoInfo.Info1(new RpcEcho.EchoInfo1((byte) 10));
            case 2 -> new EchoInfo.Info2(new RpcEcho.EchoInfo2((short) 20));
            case 3 -> new EchoInfo.Info3(new RpcEcho.EchoInfo3(30));
            case 4 -> new EchoInfo.Info4(new RpcEcho.EchoInfo4(40));
            case 5 -> new EchoInfo.Info5(new RpcEcho.EchoInfo5((byte) 50, 60));
            case 6 -> new EchoInfo.Info6(new RpcEcho.EchoInfo6((byte) 70, new RpcEcho.EchoInfo1((byte) 80)));
            case 7 -> new EchoInfo.Info7(new RpcEcho.EchoInfo7((byte) 80, new RpcEcho.EchoInfo4(90)));
            default -> throw new FaultException(NT_STATUS_INVALID_LEVEL, "no echo_Info level " + level);
        };
        return new RpcEcho.TestCall2Result(info, 0);
    }

    @Override
    public int testSleep(ServerCall call, int seconds) throws InterruptedException {
        // Blocking is the point: a cancel or a lost connection interrupts this thread and ends the call.
        Thread.sleep(Math.min(Integer.toUnsignedLong(seconds), MAX_SLEEP_SECONDS) * 1000);
        return seconds;
    }

    @Override
    public RpcEcho.TestEnumResult testEnum(ServerCall call, RpcEcho.EchoEnum1 foo1, RpcEcho.EchoEnum2 foo2,
                                          RpcEcho.EchoEnum3 foo3) {
        return new RpcEcho.TestEnumResult(foo1, foo2, foo3);
    }

    @Override
    public RpcEcho.EchoSurrounding testSurrounding(ServerCall call, RpcEcho.EchoSurrounding data) {
        int doubled = data.x() * 2;
        return new RpcEcho.EchoSurrounding(doubled, new short[doubled]);
    }

    @Override
    public short testDoublePointer(ServerCall call, Short data) {
        return data == null ? 0 : data;
    }
}
