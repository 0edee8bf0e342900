package dev.weft.interfaces.examples;

import dev.weft.interfaces.rpcecho.RpcEcho;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoInfo;
import dev.weft.ndr.Pointer;
import dev.weft.pdu.FaultStatus;
import dev.weft.server.FaultException;
import dev.weft.server.ServerCall;


/**
 * rpcecho as smbtorture's {@code rpc.echo} expects a server to answer it: AddOne adds one, EchoData echoes,
 * SinkData swallows, SourceData counts bytes up, TestCall returns its string, TestCall2 fills level 1..7 with
 * the values 10..90, TestSleep sleeps on its own thread, TestEnum hands its arguments back, TestSurrounding
 * doubles the array, TestDoublePointer follows its three pointers.
 *
 * <p>The reference for writing a service: implement the generated {@code RpcEcho.Server}, then
 * {@code RpcServer.builder().service(RpcEcho.service(new RpcEchoExample()))}. {@code weft serve} runs it.
 */
public final class RpcEchoExample implements RpcEcho.Server {
    /** NTSTATUS STATUS_INVALID_LEVEL. */
    public static final int NT_STATUS_INVALID_LEVEL = 0xC0000148;
    /** The most SourceData hands out (a fuzz finding, kept: the length is the client's). */
    public static final int MAX_SOURCE_DATA = 64 * 1024 * 1024;

    @Override
    public int addOne(ServerCall call, int inData) {
        return inData + 1;
    }

    @Override
    public byte[] echoData(ServerCall call, int len, byte[] inData) {
        return inData.clone();
    }

    @Override
    public void sinkData(ServerCall call, int len, byte[] data) {
    }

    @Override
    public byte[] sourceData(ServerCall call, int len) {
        // len is the client's unsigned 32-bit count: never allocate what a stranger asks for without a bound.
        if (Integer.toUnsignedLong(len) > MAX_SOURCE_DATA) {
            throw new FaultException(FaultStatus.NCA_S_FAULT_REMOTE_NO_MEMORY,
                    "SourceData of " + Integer.toUnsignedString(len) + " bytes, more than " + MAX_SOURCE_DATA);
        }
        byte[] data = new byte[len];
        for (int i = 0; i < len; i++) {
            data[i] = (byte) i;
        }
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
            default -> null;
        };
        if (info == null) {
            // The union cannot carry a level it has no arm for; the call fails as an undecodable one would.
            throw new dev.weft.server.FaultException(NT_STATUS_INVALID_LEVEL, "no echo_Info level " + level);
        }
        return new RpcEcho.TestCall2Result(info, 0);
    }

    @Override
    public int testSleep(ServerCall call, int seconds) throws InterruptedException {
        Thread.sleep(Integer.toUnsignedLong(seconds) * 1000);
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
    public short testDoublePointer(ServerCall call, Pointer<Short> data) {
        // unsigned short ***data: 0 when either pointer below the [ref] one is null
        return data == null || data.isNull() ? 0 : data.target();
    }
}
