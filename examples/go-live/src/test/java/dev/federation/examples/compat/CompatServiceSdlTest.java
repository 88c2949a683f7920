package dev.federation.examples.compat;

import static org.assertj.core.api.Assertions.assertThat;

import graphql.ExecutionResult;
import graphql.language.Argument;
import graphql.language.AstPrinter;
import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.DirectiveDefinition;
import graphql.language.DirectiveLocation;
import graphql.language.Document;
import graphql.language.FieldDefinition;
import graphql.language.InputValueDefinition;
import graphql.language.ObjectTypeDefinition;
import graphql.language.SchemaDefinition;
import graphql.language.StringValue;
import graphql.parser.Parser;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** {@code _service { sdl }} holds the whole compatibility schema, as the suite requires. */
class CompatServiceSdlTest {

    private static final Pattern FEDERATION_URL =
            Pattern.compile("https://specs\\.apollo\\.dev/federation/v(\\d+)\\.(\\d+)");

    private final CompatSubgraph compat = CompatSubgraph.create();
    private final Document served = Parser.parse(serviceSdl());
    private final Document file = Parser.parse(read("/compat/products.graphql"));

    @Test
    void servedSchemaIsTheFileOnTheClassPath() {
        assertThat(compat.schemaSdl()).isEqualTo(read(CompatSubgraph.SCHEMA_RESOURCE));
    }

    @Test
    void everyTypeFieldArgumentAndDirectiveOfTheFileIsServed() {
        Map<String, ObjectTypeDefinition> servedTypes = objectTypes(served);
        int checkedFields = 0;
        for (Map.Entry<String, ObjectTypeDefinition> e : objectTypes(file).entrySet()) {
            ObjectTypeDefinition expected = e.getValue();
            ObjectTypeDefinition actual = servedTypes.get(e.getKey());
            assertThat(actual).as("type %s", e.getKey()).isNotNull();
            assertDirectives("type " + e.getKey(), expected.getDirectives(), actual.getDirectives());
            Map<String, FieldDefinition> actualFields = actual.getFieldDefinitions().stream()
                    .collect(Collectors.toMap(FieldDefinition::getName, f -> f));
            if (!e.getKey().equals("Query")) { // Query also holds _entities and _service
                assertThat(actualFields.keySet()).as("fields of %s", e.getKey()).containsExactlyInAnyOrderElementsOf(
                        expected.getFieldDefinitions().stream().map(FieldDefinition::getName).toList());
            }
            for (FieldDefinition field : expected.getFieldDefinitions()) {
                String where = e.getKey() + "." + field.getName();
                FieldDefinition served = actualFields.get(field.getName());
                assertThat(served).as(where).isNotNull();
                assertThat(AstPrinter.printAst(served.getType())).as("type of %s", where)
                        .isEqualTo(AstPrinter.printAst(field.getType()));
                assertThat(arguments(served)).as("arguments of %s", where).isEqualTo(arguments(field));
                assertDirectives(where, field.getDirectives(), served.getDirectives());
                checkedFields++;
            }
        }
        assertThat(checkedFields).as("fields of the file").isEqualTo(29);
    }

    @Test
    void userExtensionIsServedAsAnExtendsEntity() {
        ObjectTypeDefinition user = objectTypes(served).get("User");

        assertThat(user.getDirectives()).extracting(Directive::getName).startsWith("extends", "key");
    }

    @Test
    void customDirectiveDefinitionAndItsComposeDirectiveAreServed() {
        DirectiveDefinition custom = definitions(served, DirectiveDefinition.class).stream()
                .filter(d -> d.getName().equals("custom")).findFirst().orElseThrow();

        assertThat(custom.getDirectiveLocations()).extracting(DirectiveLocation::getName).containsExactly("OBJECT");
        assertThat(schemaDirectives(served)).filteredOn(d -> d.getName().equals("composeDirective"))
                .singleElement().satisfies(d -> assertThat(stringArgument(d, "name")).isEqualTo("@custom"));
        assertThat(schemaDirectives(served)).filteredOn(d -> d.getName().equals("link"))
                .anySatisfy(d -> {
                    assertThat(stringArgument(d, "url")).isEqualTo("https://myspecs.dev/myCustomDirective/v1.0");
                    assertThat(AstPrinter.printAst(d.getArgument("import").getValue())).contains("\"@custom\"");
                });
    }

    @Test
    void exactlyOneFederationLinkOfVersionTwoZeroToTwoSeven() {
        List<Directive> federationLinks = new ArrayList<>();
        for (Directive d : schemaDirectives(served)) {
            if (d.getName().equals("link") && FEDERATION_URL.matcher(stringArgument(d, "url")).matches()) {
                federationLinks.add(d);
            }
        }

        assertThat(federationLinks).hasSize(1);
        Matcher version = FEDERATION_URL.matcher(stringArgument(federationLinks.get(0), "url"));
        assertThat(version.matches()).isTrue();
        assertThat(Integer.parseInt(version.group(1))).isEqualTo(2);
        assertThat(Integer.parseInt(version.group(2))).isBetween(0, 7);
        // the suite's own check is textual: every "@link(" of the printed SDL naming the federation spec
        assertThat(Pattern.compile("@link\\([^)]*specs\\.apollo\\.dev/federation/").matcher(serviceSdl())
                .results().count()).isEqualTo(1);
    }

    private String serviceSdl() {
        ExecutionResult result = compat.execute("query { _service { sdl } }", null, null, Map.of());
        assertThat(result.getErrors()).isEmpty();
        Map<String, Map<String, String>> data = result.getData();
        return data.get("_service").get("sdl");
    }

    /** Object types by name, each type's extensions merged into it (fields and directives). */
    private static Map<String, ObjectTypeDefinition> objectTypes(Document doc) {
        Map<String, ObjectTypeDefinition> types = new LinkedHashMap<>();
        for (ObjectTypeDefinition t : definitions(doc, ObjectTypeDefinition.class)) {
            types.merge(t.getName(), t, (a, b) -> a.transform(x -> {
                List<FieldDefinition> fields = new ArrayList<>(a.getFieldDefinitions());
                fields.addAll(b.getFieldDefinitions());
                List<Directive> directives = new ArrayList<>(a.getDirectives());
                directives.addAll(b.getDirectives());
                x.fieldDefinitions(fields).directives(directives);
            }));
        }
        return types;
    }

    private static <T> List<T> definitions(Document doc, Class<T> kind) {
        List<T> out = new ArrayList<>();
        for (Definition<?> d : doc.getDefinitions()) {
            if (kind.isInstance(d)) {
                out.add(kind.cast(d));
            }
        }
        return out;
    }

    private static List<Directive> schemaDirectives(Document doc) {
        List<Directive> out = new ArrayList<>();
        for (SchemaDefinition s : definitions(doc, SchemaDefinition.class)) {
            out.addAll(s.getDirectives());
        }
        return out;
    }

    /** Each expected directive is served with at least the same argument values (defaults may be added). */
    private static void assertDirectives(String where, List<Directive> expected, List<Directive> actual) {
        for (Directive d : expected) {
            assertThat(actual).as("@%s on %s", d.getName(), where)
                    .anySatisfy(a -> {
                        assertThat(a.getName()).isEqualTo(d.getName());
                        for (Argument arg : d.getArguments()) {
                            assertThat(a.getArgument(arg.getName())).isNotNull();
                            assertThat(AstPrinter.printAst(a.getArgument(arg.getName()).getValue()))
                                    .isEqualTo(AstPrinter.printAst(arg.getValue()));
                        }
                    });
        }
    }

    private static Map<String, String> arguments(FieldDefinition field) {
        Map<String, String> out = new LinkedHashMap<>();
        for (InputValueDefinition arg : field.getInputValueDefinitions()) {
            out.put(arg.getName(), AstPrinter.printAst(arg.getType()));
        }
        return out;
    }

    private static String stringArgument(Directive d, String name) {
        return ((StringValue) d.getArgument(name).getValue()).getValue();
    }

    private static String read(String resource) {
        try (InputStream in = CompatServiceSdlTest.class.getResourceAsStream(resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
