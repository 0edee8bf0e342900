package dev.weft.interfaces.rpcecho;

import dev.weft.client.BindingHandle;
import dev.weft.client.ClientOptions;
import dev.weft.client.RpcClient;
import dev.weft.client.RpcFaultException;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoEnum1;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoEnum1_32;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoEnum2;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoEnum3;
import dev.weft.interfaces.examples.RpcEchoExample;
import dev.weft.interfaces.rpcecho.RpcEcho.EchoInfo;
import dev.weft.ndr.Pointer;
import dev.weft.ndr.TransferSyntax;
import dev.weft.server.RpcServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The generated client calling the generated skeleton over TCP, through Weft's RpcClient and RpcServer. */
class RpcEchoEndToEndTest {
    static RpcServer server;
    static String binding;

    @BeforeAll
    static void start() throws IOException {
        server = RpcServer.builder().listen("ncacn_ip_tcp:127.0.0.1[0]")
                .service(RpcEcho.service(new RpcEchoExample())).build().start();
        binding = server.endpoints().get(0).toBinding().toString();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    private static RpcClient connect(TransferSyntax syntax) {
        return RpcClient.connect(binding, ClientOptions.DEFAULT.withPreferNdr64(syntax == TransferSyntax.NDR64));
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void everyOperation(TransferSyntax syntax) {
        try (RpcClient c = connect(syntax)) {
            BindingHandle h = c.bind(RpcEcho.INTERFACE_ID);
            assertEquals(syntax, h.syntax());
            RpcEcho.Client echo = RpcEcho.client(h);

            assertEquals(42, echo.addOne(41));
            assertEquals(0, echo.addOne(-1)); // 0xFFFFFFFF + 1 wraps, as smbtorture expects
            byte[] data = new byte[5000];
            for (int i = 0; i < data.length; i++) {
                data[i] = (byte) (i * 7);
            }
            assertArrayEquals(data, echo.echoData(data.length, data));
            echo.sinkData(3, new byte[] {1, 2, 3});
            byte[] source = echo.sourceData(200_003);
            assertEquals(200_003, source.length);
            assertEquals((byte) 0xFF, source[255]);
            assertEquals((byte) (200_002 & 0xFF), source[200_002]);
            assertEquals("input string", echo.testCall("input string"));
            assertEquals("", echo.testCall(""));

            RpcEcho.TestCall2Result five = echo.testCall2((short) 5);
            assertEquals(0, five.result());
            assertEquals(new EchoInfo.Info5(new RpcEcho.EchoInfo5((byte) 50, 60)), five.info());
            RpcEcho.TestCall2Result seven = echo.testCall2((short) 7);
            assertEquals(90, assertInstanceOf(EchoInfo.Info7.class, seven.info()).info7().info4().v());
            for (short level = 1; level <= 7; level++) {
                assertEquals(level, echo.testCall2(level).info().discriminant());
            }
            RpcFaultException bad = assertThrows(RpcFaultException.class, () -> echo.testCall2((short) 8));
            assertEquals(RpcEchoExample.NT_STATUS_INVALID_LEVEL, bad.status());

            // 76 is no echo_Enum1 value, and smbtorture sends it: enums are open
            EchoEnum2 e2 = new EchoEnum2(EchoEnum1.of(76), EchoEnum1_32.ECHO_ENUM1_32);
            RpcEcho.TestEnumResult en = echo.testEnum(EchoEnum1.ECHO_ENUM1, e2,
                    new EchoEnum3.E1(EchoEnum1.ECHO_ENUM2));
            assertEquals(EchoEnum1.ECHO_ENUM1, en.foo1Out());
            assertEquals(76, en.foo2Out().e1().value());
            assertEquals(new EchoEnum3.E1(EchoEnum1.ECHO_ENUM2), en.foo3Out());

            RpcEcho.EchoSurrounding s = echo.testSurrounding(new RpcEcho.EchoSurrounding(20, new short[20]));
            assertEquals(40, s.x());
            assertEquals(40, s.surrounding().length);
            assertEquals((short) 12, echo.testDoublePointer(Pointer.to((short) 12)));
            assertEquals((short) 0, echo.testDoublePointer(Pointer.toNull()));
            assertEquals((short) 0, echo.testDoublePointer(null));
            assertEquals(1, echo.testSleep(1));
        }
    }

    /**
     * TestSleep runs on its own virtual thread: three sleeps sent at once on one connection, longest first, end
     * shortest first, which only overlapping calls can do.
     */
    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void sleepsConcurrently(TransferSyntax syntax) throws Exception {
        try (RpcClient c = connect(syntax); ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            RpcEcho.Client echo = RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID));
            java.util.Queue<Integer> finished = new java.util.concurrent.ConcurrentLinkedQueue<>();
            List<Future<Integer>> calls = new ArrayList<>();
            for (int s = 3; s >= 1; s--) {
                int seconds = s;
                calls.add(pool.submit(() -> {
                    int slept = echo.testSleep(seconds);
                    finished.add(slept);
                    return slept;
                }));
                Thread.sleep(100);   // sent in the order 3, 2, 1
            }
            assertEquals(List.of(3, 2, 1), List.of(calls.get(0).get(), calls.get(1).get(), calls.get(2).get()));
            assertEquals(List.of(1, 2, 3), List.copyOf(finished));
        }
    }

    @ParameterizedTest
    @EnumSource(TransferSyntax.class)
    void refStringIsNeverNull(TransferSyntax syntax) {
        try (RpcClient c = connect(syntax)) {
            RpcEcho.Client echo = RpcEcho.client(c.bind(RpcEcho.INTERFACE_ID));
            // [in, string] s1 is a top-level [ref]: it cannot be null; the client says so before sending
            assertThrows(NullPointerException.class, () -> echo.testCall(null));
            assertEquals("still connected", echo.testCall("still connected"));
        }
    }
}
