package io.mcrsrt.streamer.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcrsrt.streamer.config.AppConfig;
import io.mcrsrt.streamer.config.StreamRequestValidator;
import io.mcrsrt.streamer.metrics.StreamMetrics;
import io.mcrsrt.streamer.security.WebSecurity;
import io.mcrsrt.streamer.stream.StreamEngine;
import io.mcrsrt.streamer.system.IptvChannels;
import io.mcrsrt.streamer.system.MediaLibrary;
import io.mcrsrt.streamer.system.SystemStatus;

/**
 * What route groups may use: the configuration, the engine and the service's helpers. All thread-safe.
 *
 * @param config    the validated configuration
 * @param engine    the stream engine (route handlers only ask it for snapshots and start/stop)
 * @param validator the shared stream request validator
 * @param security  API key, session and CSRF checks
 * @param media     the media folder
 * @param iptv      the IPTV channel list
 * @param system    host status
 * @param metrics   the Prometheus registry
 * @param json      the service's JSON mapper (snake_case)
 */
public record ServiceContext(
        AppConfig config,
        StreamEngine engine,
        StreamRequestValidator validator,
        WebSecurity security,
        MediaLibrary media,
        IptvChannels iptv,
        SystemStatus system,
        StreamMetrics metrics,
        ObjectMapper json) {
}
