// Apache Jena's QueryExecutionHTTP, with its default HTTP client, against an endpoint:
// SELECT, ASK and CONSTRUCT by GET, POST form and POST body. One line per run:
// "<kind> <mode> OK <count>" or "<kind> <mode> FAIL <exception>". Run by tests/test_jena_client.py.
import org.apache.jena.query.QueryExecution;
import org.apache.jena.query.ResultSet;
import org.apache.jena.rdf.model.Model;
import org.apache.jena.sparql.exec.http.QueryExecutionHTTP;
import org.apache.jena.sparql.exec.http.QuerySendMode;

public class JenaClient {
    public static void main(String[] args) {
        String endpoint = args[0];
        String prefix = "PREFIX eskg: <https://w3id.org/eskg/ontology#> "
            + "PREFIX skos: <http://www.w3.org/2004/02/skos/core#> ";
        String select = prefix + "SELECT ?m ?l WHERE { ?m a eskg:SpecifiedCriticalMaterial ; "
            + "skos:prefLabel ?l FILTER(lang(?l) = \"ja\") }";
        String ask = prefix + "ASK { ?m a eskg:SpecifiedCriticalMaterial }";
        String construct = prefix + "CONSTRUCT { ?m skos:prefLabel ?l } WHERE { "
            + "?m a eskg:SpecifiedCriticalMaterial ; skos:prefLabel ?l }";
        QuerySendMode[] modes = {QuerySendMode.asGetAlways, QuerySendMode.asPostForm,
                                 QuerySendMode.asPost};
        for (QuerySendMode mode : modes) {
            for (String kind : new String[] {"SELECT", "ASK", "CONSTRUCT"}) {
                String q = kind.equals("SELECT") ? select : kind.equals("ASK") ? ask : construct;
                try (QueryExecution qe = QueryExecutionHTTP.service(endpoint).query(q)
                        .sendMode(mode).build()) {
                    long count;
                    if (kind.equals("SELECT")) {
                        ResultSet rs = qe.execSelect();
                        count = 0;
                        while (rs.hasNext()) { rs.next(); count++; }
                    } else if (kind.equals("ASK")) {
                        count = qe.execAsk() ? 1 : 0;
                    } else {
                        Model m = qe.execConstruct();
                        count = m.size();
                    }
                    System.out.println(kind + " " + mode + " OK " + count);
                } catch (Exception e) {
                    System.out.println(kind + " " + mode + " FAIL "
                        + e.toString().replace('\n', ' '));
                }
            }
        }
    }
}
