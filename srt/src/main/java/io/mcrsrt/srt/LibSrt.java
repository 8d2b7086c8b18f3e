package io.mcrsrt.srt;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

/**
 * The raw libsrt 1.5 functions, one {@code static final} downcall handle each, and nothing else: return codes are
 * turned into exceptions by the public classes. Initialised only after {@link Srt#ensureLoaded()} has loaded the
 * library, so a missing libsrt never surfaces here.
 *
 * <p>Critical calls (no thread-state transition) are only those that take no libsrt lock and never call back:
 * srt_getversion, srt_getlasterror, srt_getlasterror_str, srt_clearlasterror (the thread's own error), srt_strerror,
 * srt_rejectreason_str (static tables), srt_time_now and srt_msgctrl_init (libsrt 1.5.1 srt_c_api.cpp). A thread in
 * a critical call holds off the JVM's safepoints, so a call that may wait for a lock must not be one: srt_getsockstate
 * takes m_GlobControlLock, and srt_getrejectreason, srt_setrejectreason and srt_connection_time take it through
 * locateSocket, while libsrt's garbage-collector thread can hold that lock as long as it takes to join a closed
 * port's queue threads. Made critical, those would stall every garbage collection of the JVM meanwhile.
 */
final class LibSrt {

    private static final Linker.Option CRITICAL = Linker.Option.critical(false);

    private static final MethodHandle STARTUP = NativeLibrary.downcall("srt_startup", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle CLEANUP = NativeLibrary.downcall("srt_cleanup", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle GETVERSION = NativeLibrary.downcall("srt_getversion", FunctionDescriptor.of(JAVA_INT), CRITICAL);
    private static final MethodHandle SETLOGLEVEL = NativeLibrary.downcall("srt_setloglevel", FunctionDescriptor.ofVoid(JAVA_INT));
    private static final MethodHandle CREATE_SOCKET = NativeLibrary.downcall("srt_create_socket", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle BIND = NativeLibrary.downcall("srt_bind", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle LISTEN = NativeLibrary.downcall("srt_listen", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle ACCEPT = NativeLibrary.downcall("srt_accept", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle LISTEN_CALLBACK = NativeLibrary.downcall("srt_listen_callback", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle CONNECT = NativeLibrary.downcall("srt_connect", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle RENDEZVOUS = NativeLibrary.downcall("srt_rendezvous", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle CLOSE = NativeLibrary.downcall("srt_close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPEERNAME = NativeLibrary.downcall("srt_getpeername", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKNAME = NativeLibrary.downcall("srt_getsockname", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETSOCKFLAG = NativeLibrary.downcall("srt_getsockflag", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle SETSOCKFLAG = NativeLibrary.downcall("srt_setsockflag", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT));
    private static final MethodHandle SENDMSG2 = NativeLibrary.downcall("srt_sendmsg2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle RECVMSG2 = NativeLibrary.downcall("srt_recvmsg2", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    private static final MethodHandle GETLASTERROR = NativeLibrary.downcall("srt_getlasterror", FunctionDescriptor.of(JAVA_INT, ADDRESS), CRITICAL);
    private static final MethodHandle GETLASTERROR_STR = NativeLibrary.downcall("srt_getlasterror_str", FunctionDescriptor.of(ADDRESS), CRITICAL);
    private static final MethodHandle CLEARLASTERROR = NativeLibrary.downcall("srt_clearlasterror", FunctionDescriptor.ofVoid(), CRITICAL);
    private static final MethodHandle STRERROR = NativeLibrary.downcall("srt_strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT, JAVA_INT), CRITICAL);
    private static final MethodHandle BISTATS = NativeLibrary.downcall("srt_bistats", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETSOCKSTATE = NativeLibrary.downcall("srt_getsockstate", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_CREATE = NativeLibrary.downcall("srt_epoll_create", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle EPOLL_ADD_USOCK = NativeLibrary.downcall("srt_epoll_add_usock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_UPDATE_USOCK = NativeLibrary.downcall("srt_epoll_update_usock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle EPOLL_REMOVE_USOCK = NativeLibrary.downcall("srt_epoll_remove_usock", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_UWAIT = NativeLibrary.downcall("srt_epoll_uwait", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_LONG));
    private static final MethodHandle EPOLL_SET = NativeLibrary.downcall("srt_epoll_set", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle EPOLL_RELEASE = NativeLibrary.downcall("srt_epoll_release", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle GETREJECTREASON = NativeLibrary.downcall("srt_getrejectreason", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle SETREJECTREASON = NativeLibrary.downcall("srt_setrejectreason", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle REJECTREASON_STR = NativeLibrary.downcall("srt_rejectreason_str", FunctionDescriptor.of(ADDRESS, JAVA_INT), CRITICAL);
    private static final MethodHandle TIME_NOW = NativeLibrary.downcall("srt_time_now", FunctionDescriptor.of(JAVA_LONG), CRITICAL);
    private static final MethodHandle MSGCTRL_INIT = NativeLibrary.downcall("srt_msgctrl_init", FunctionDescriptor.ofVoid(ADDRESS), CRITICAL);
    private static final MethodHandle CREATE_GROUP = NativeLibrary.downcall("srt_create_group", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle CONNECTION_TIME = NativeLibrary.downcall("srt_connection_time", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    private LibSrt() {}

    static int startup() {
        try {
            return (int) STARTUP.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int cleanup() {
        try {
            return (int) CLEANUP.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getversion() {
        try {
            return (int) GETVERSION.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void setloglevel(int a0) {
        try {
            SETLOGLEVEL.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int createSocket() {
        try {
            return (int) CREATE_SOCKET.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bind(int a0, MemorySegment a1, int a2) {
        try {
            return (int) BIND.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int listen(int a0, int a1) {
        try {
            return (int) LISTEN.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int accept(int a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) ACCEPT.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int listenCallback(int a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) LISTEN_CALLBACK.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int connect(int a0, MemorySegment a1, int a2) {
        try {
            return (int) CONNECT.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int rendezvous(int a0, MemorySegment a1, int a2, MemorySegment a3, int a4) {
        try {
            return (int) RENDEZVOUS.invokeExact(a0, a1, a2, a3, a4);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int close(int a0) {
        try {
            return (int) CLOSE.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getpeername(int a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) GETPEERNAME.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockname(int a0, MemorySegment a1, MemorySegment a2) {
        try {
            return (int) GETSOCKNAME.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockflag(int a0, int a1, MemorySegment a2, MemorySegment a3) {
        try {
            return (int) GETSOCKFLAG.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setsockflag(int a0, int a1, MemorySegment a2, int a3) {
        try {
            return (int) SETSOCKFLAG.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int sendmsg2(int a0, MemorySegment a1, int a2, MemorySegment a3) {
        try {
            return (int) SENDMSG2.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int recvmsg2(int a0, MemorySegment a1, int a2, MemorySegment a3) {
        try {
            return (int) RECVMSG2.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getlasterror(MemorySegment a0) {
        try {
            return (int) GETLASTERROR.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment getlasterrorStr() {
        try {
            return (MemorySegment) GETLASTERROR_STR.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void clearlasterror() {
        try {
            CLEARLASTERROR.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment strerror(int a0, int a1) {
        try {
            return (MemorySegment) STRERROR.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int bistats(int a0, MemorySegment a1, int a2, int a3) {
        try {
            return (int) BISTATS.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getsockstate(int a0) {
        try {
            return (int) GETSOCKSTATE.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollCreate() {
        try {
            return (int) EPOLL_CREATE.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollAddUsock(int a0, int a1, MemorySegment a2) {
        try {
            return (int) EPOLL_ADD_USOCK.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollUpdateUsock(int a0, int a1, MemorySegment a2) {
        try {
            return (int) EPOLL_UPDATE_USOCK.invokeExact(a0, a1, a2);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollRemoveUsock(int a0, int a1) {
        try {
            return (int) EPOLL_REMOVE_USOCK.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollUwait(int a0, MemorySegment a1, int a2, long a3) {
        try {
            return (int) EPOLL_UWAIT.invokeExact(a0, a1, a2, a3);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollSet(int a0, int a1) {
        try {
            return (int) EPOLL_SET.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int epollRelease(int a0) {
        try {
            return (int) EPOLL_RELEASE.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int getrejectreason(int a0) {
        try {
            return (int) GETREJECTREASON.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int setrejectreason(int a0, int a1) {
        try {
            return (int) SETREJECTREASON.invokeExact(a0, a1);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static MemorySegment rejectreasonStr(int a0) {
        try {
            return (MemorySegment) REJECTREASON_STR.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long timeNow() {
        try {
            return (long) TIME_NOW.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void msgctrlInit(MemorySegment a0) {
        try {
            MSGCTRL_INIT.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static int createGroup(int a0) {
        try {
            return (int) CREATE_GROUP.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long connectionTime(int a0) {
        try {
            return (long) CONNECTION_TIME.invokeExact(a0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException("unexpected checked exception from a libsrt downcall", t);
    }
}
