package dev.federation.examples.compat;

import graphql.language.Definition;
import graphql.language.Directive;
import graphql.language.Document;
import graphql.language.ObjectTypeDefinition;
import graphql.language.ObjectTypeExtensionDefinition;
import graphql.parser.Parser;
import graphql.schema.idl.SchemaParser;
import graphql.schema.idl.TypeDefinitionRegistry;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the compatibility schema into a registry graphql-java can build.
 *
 * <p>The schema extends {@code User}, an entity owned by another subgraph, with no base {@code type User} in
 * this subgraph ({@code extend type User @key(fields: "email")}). graphql-java rejects an extension without its
 * base type, so such an entity extension is read as the equivalent Federation form
 * {@code type User @extends @key(fields: "email")} (the schema imports {@code @extends} for this). Its fields
 * and other directives are kept as written. Root types are left alone (federation-jvm adds a missing
 * {@code Query}).
 */
final class CompatSchema {

    private static final Set<String> ROOT_TYPES = Set.of("Query", "Mutation", "Subscription");

    private CompatSchema() {
    }

    /** The registry of {@code sdl}, with every base-less entity extension turned into an {@code @extends} type. */
    @SuppressWarnings("rawtypes") // Document.Builder.definitions takes a raw List<Definition>
    static TypeDefinitionRegistry registry(String sdl) {
        Document document = Parser.parse(sdl);
        Set<String> defined = new HashSet<>();
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof ObjectTypeDefinition && !(d instanceof ObjectTypeExtensionDefinition)) {
                defined.add(((ObjectTypeDefinition) d).getName());
            }
        }
        List<Definition> definitions = new ArrayList<>(document.getDefinitions().size());
        for (Definition<?> d : document.getDefinitions()) {
            if (d instanceof ObjectTypeExtensionDefinition) {
                ObjectTypeExtensionDefinition ext = (ObjectTypeExtensionDefinition) d;
                if (!defined.contains(ext.getName()) && !ROOT_TYPES.contains(ext.getName()) && isEntity(ext)) {
                    definitions.add(asExtendsType(ext));
                    defined.add(ext.getName());
                    continue;
                }
            }
            definitions.add(d);
        }
        return new SchemaParser().buildRegistry(document.transform(b -> b.definitions(definitions)));
    }

    private static boolean isEntity(ObjectTypeExtensionDefinition ext) {
        return ext.getDirectives().stream().anyMatch(d -> d.getName().equals("key"));
    }

    private static ObjectTypeDefinition asExtendsType(ObjectTypeExtensionDefinition ext) {
        List<Directive> directives = new ArrayList<>();
        directives.add(Directive.newDirective().name("extends").build());
        directives.addAll(ext.getDirectives());
        return ObjectTypeDefinition.newObjectTypeDefinition()
                .name(ext.getName())
                .implementz(ext.getImplements())
                .directives(directives)
                .fieldDefinitions(ext.getFieldDefinitions())
                .description(ext.getDescription())
                .sourceLocation(ext.getSourceLocation())
                .build();
    }
}
