package io.mcrsrt.srt.testing;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.net.spi.InetAddressResolver;
import java.net.spi.InetAddressResolverProvider;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Host names of the tests' own, under the reserved top-level domain {@code .test} (RFC 6761), resolved by the JDK
 * as a DNS server would answer them: so that a test can give a name an IPv4 and an IPv6 address of loopback without
 * touching {@code /etc/hosts}. Installed for the whole test JVM as the JDK's resolver (its service file is in the
 * test resources); every other name and every reverse lookup goes to the JDK's own resolver unchanged.
 */
public final class TestHostNames extends InetAddressResolverProvider {
    private static final Map<String, List<InetAddress>> NAMES = new ConcurrentHashMap<>();

    /**
     * Makes {@code name} resolve to {@code addresses}, in the order the lookup asks for (the JDK's default: IPv4
     * first). The JDK keeps an answer for 30 s, so each test takes a name of its own.
     */
    public static void define(String name, InetAddress... addresses) {
        if (!name.endsWith(".test") || addresses.length == 0) {
            throw new IllegalArgumentException("a test host name ends in .test and has an address: " + name);
        }
        NAMES.put(name.toLowerCase(Locale.ROOT), List.of(addresses));
    }

    @Override
    public InetAddressResolver get(Configuration configuration) {
        InetAddressResolver builtin = configuration.builtinResolver();
        return new InetAddressResolver() {
            @Override
            public Stream<InetAddress> lookupByName(String host, LookupPolicy policy) throws UnknownHostException {
                List<InetAddress> defined = NAMES.get(host.toLowerCase(Locale.ROOT));
                if (defined == null) {
                    return builtin.lookupByName(host, policy);
                }
                int wanted = policy.characteristics();
                List<InetAddress> answer = defined.stream()
                        .filter(a -> a instanceof Inet4Address ? (wanted & LookupPolicy.IPV4) != 0
                                : (wanted & LookupPolicy.IPV6) != 0)
                        .sorted(Comparator.comparingInt(a -> rank(a, wanted)))
                        .toList();
                if (answer.isEmpty()) {
                    throw new UnknownHostException(host + ": no address of the family asked for");
                }
                return answer.stream();
            }

            @Override
            public String lookupByAddress(byte[] address) throws UnknownHostException {
                return builtin.lookupByAddress(address);
            }
        };
    }

    /** 0 for the family the policy puts first, else 1; the sort is stable, so the defined order stays within each. */
    private static int rank(InetAddress a, int characteristics) {
        if ((characteristics & InetAddressResolver.LookupPolicy.IPV6_FIRST) != 0) {
            return a instanceof Inet6Address ? 0 : 1;
        }
        if ((characteristics & InetAddressResolver.LookupPolicy.IPV4_FIRST) != 0) {
            return a instanceof Inet4Address ? 0 : 1;
        }
        return 0;
    }

    @Override
    public String name() {
        return "test host names (.test)";
    }
}
