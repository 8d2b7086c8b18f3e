package io.mcrsrt.streamer.nettest;

import java.util.List;

/**
 * The network test as the web layer sees it: {@code POST /api/network-test} (JSON, or the original form's fields) and
 * {@code GET /api/network-test/servers}. Owns the server catalog and its optional background refresh; close it when
 * the service stops.
 */
public final class NetworkTestApi implements AutoCloseable {

    private final NetworkTester tester;
    private final ServerRefresher refresher;

    public NetworkTestApi(NetworkTestSettings settings) {
        ServerCatalog catalog = new ServerCatalog(settings.serversFile());
        this.tester = new NetworkTester(catalog, settings.mechanism());
        this.refresher = settings.refreshInterval() == null || settings.serversFile() == null ? null
                : ServerRefresher.start(catalog, settings.refreshInterval(), ServerRefresher.IPERF_UDP);
    }

    /**
     * Runs a test from a JSON body.
     *
     * @throws InvalidNetworkTestException with every bad field, for a 400 answer
     */
    public NetworkTestResult test(NetworkTestRequest request) {
        return tester.run(request);
    }

    /** The usable iperf3 servers, in the original list format. */
    public List<IperfServer> servers() {
        return tester.catalog().usable();
    }

    /** Why the server list is missing or stale, or null. */
    public String serverListProblem() {
        return tester.catalog().problem();
    }

    public Mechanism defaultMechanism() {
        return tester.defaultMechanism();
    }

    @Override
    public void close() {
        if (refresher != null) {
            refresher.close();
        }
    }
}
