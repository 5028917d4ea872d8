package io.stampede.deliver;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.stampede.io.Json;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A stand-in for Alertmanager's {@code POST /api/v2/alerts} on 127.0.0.1 that keeps every alert posted. */
final class AlertmanagerStub implements AutoCloseable {

    private final HttpServer server;
    private final List<JsonNode> posted = new CopyOnWriteArrayList<>();

    AlertmanagerStub() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/api/v2/alerts", exchange -> {
            Json.MAPPER.readTree(exchange.getRequestBody()).forEach(posted::add);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every alert posted so far, in order (re-posts included). */
    List<JsonNode> posted() {
        return List.copyOf(posted);
    }

    /** The incident labels of every alert posted so far. */
    List<String> incidents() {
        return posted.stream().map(a -> a.at("/labels/incident").asText()).toList();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
