// POST a body with Java's built-in HttpClient at its defaults (HTTP/2 preferred, so on
// http:// it sends "Connection: Upgrade, HTTP2-Settings" and "Upgrade: h2c"), and print
// the status line and body: java PostBody.java URL CONTENT-TYPE BODY
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

public class PostBody {
    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest request = HttpRequest.newBuilder(URI.create(args[0]))
                .header("Content-Type", args[1])
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(args[2]))
                .build();
        for (int i = 0; i < 2; i++) { // the second request reuses the connection
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            System.out.println(response.statusCode() + " " + response.version());
            System.out.println(response.body());
        }
    }
}
