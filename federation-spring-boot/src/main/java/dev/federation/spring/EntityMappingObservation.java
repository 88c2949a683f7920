package dev.federation.spring;

import dev.federation.core.FederatedEntities;
import dev.federation.core.FederationMode;
import dev.federation.core.observer.BatchCall;
import dev.federation.core.observer.BatchObservation;
import dev.federation.core.observer.BatchResult;
import dev.federation.core.observer.FederationObserver;
import graphql.execution.instrumentation.InstrumentationState;
import graphql.execution.instrumentation.SimplePerformantInstrumentation;
import graphql.execution.instrumentation.parameters.InstrumentationFieldFetchParameters;
import graphql.schema.DataFetcher;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.annotation.AnnotationMatchingPointcut;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.core.MethodIntrospector;
import org.springframework.core.MethodParameter;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.graphql.data.federation.EntityMapping;
import org.springframework.graphql.data.federation.FederationSchemaFactory;
import org.springframework.graphql.data.method.HandlerMethod;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.util.ClassUtils;
import org.springframework.util.StringUtils;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * What the starter adds to an app whose {@code _entities} Spring for GraphQL's own {@code FederationSchemaFactory}
 * resolves with {@code @EntityMapping} methods: Spring keeps resolving, and
 * <ul>
 *   <li>{@link Batches} times each call of an {@code @EntityMapping} method and tells the observers of it as a
 *       batch: a method Spring calls with every representation of its type at once (one returning a
 *       {@code List} or a {@code Flux}, Spring's own rule) is a batch of that many keys; the others are one-key
 *       calls, as the library's {@code DIRECT} mode;</li>
 *   <li>{@link EntitiesField} wraps Spring's {@code _entities} fetcher in
 *       {@link FederatedEntities#observe}: the request-wide representation limit, the call's events, and the
 *       loads per typename read back from Spring's answer.</li>
 * </ul>
 * Meters, spans, the statistics of the {@code federation} endpoint and the health monitor's checks then work as
 * they do for {@code EntityType} beans. The kill switch, batching and the cache are not Spring's: they apply to
 * {@code EntityType} beans only.
 */
final class EntityMappingObservation {

    private static final Logger LOG = LoggerFactory.getLogger(EntityMappingObservation.class);

    private EntityMappingObservation() {
    }

    /** The {@code @EntityMapping} typenames seen on the app's beans, with Spring's batched-or-not rule. */
    static final class Mappings {
        private final Map<String, FederationMode> modes = new ConcurrentHashMap<>();

        void add(String typename, FederationMode mode) {
            modes.put(typename, mode);
        }

        /** A live, read-only view: it grows as beans made later (lazily) are seen. */
        Map<String, FederationMode> modes() {
            return java.util.Collections.unmodifiableMap(modes);
        }

        /** {@code Book (batched), Author (one by one)}, sorted. */
        String describe() {
            StringJoiner j = new StringJoiner(", ");
            new TreeMap<>(modes).forEach((t, m) -> j.add(t + (m == FederationMode.BATCHED ? " (batched)"
                    : " (one by one)")));
            return modes.isEmpty() ? "none found" : j.toString();
        }
    }

    /** The typename an {@code @EntityMapping} method resolves: its {@code name}, else its method name capitalised. */
    static String typename(Method method, EntityMapping mapping) {
        return StringUtils.hasText(mapping.name()) ? mapping.name() : StringUtils.capitalize(method.getName());
    }

    /**
     * The key fields Spring binds from each representation: the names of the {@code @Argument} parameters (a
     * batch method's {@code idList} is Spring's {@code id}); {@code representation} when the method takes the
     * representation maps themselves.
     */
    static String keyShape(Method method, boolean batch) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < method.getParameterCount(); i++) {
            MethodParameter p = new MethodParameter(method, i);
            Argument a = p.getParameterAnnotation(Argument.class);
            if (a == null) {
                continue;
            }
            String name = StringUtils.hasText(a.name()) ? a.name() : StringUtils.hasText(a.value()) ? a.value()
                    : method.getParameters()[i].isNamePresent() ? method.getParameters()[i].getName() : null;
            if (name != null) {
                names.add(batch && name.endsWith("List") ? name.substring(0, name.length() - 4) : name);
            }
        }
        return names.isEmpty() ? "representation" : String.join(" ", names);
    }

    /**
     * Proxies each bean with {@code @EntityMapping} methods (before Spring's schema factory reads it, so Spring
     * calls through the proxy) and records its typenames.
     */
    static final class Batches extends AbstractBeanFactoryAwareAdvisingPostProcessor {
        private static final long serialVersionUID = 1L;

        private final transient Mappings mappings = new Mappings();
        private final transient Interceptor interceptor;

        Batches(ObjectProvider<FederatedEntities> entities) {
            setProxyTargetClass(true);
            setBeforeExistingAdvisors(true);
            this.interceptor = new Interceptor(entities, mappings);
            this.advisor = new DefaultPointcutAdvisor(new AnnotationMatchingPointcut(null, EntityMapping.class, true),
                    interceptor);
        }

        /** The typenames of the {@code @EntityMapping} methods seen so far. */
        Mappings mappings() {
            return mappings;
        }

        @Override
        public Object postProcessAfterInitialization(Object bean, String beanName) {
            Class<?> type = AopUtils.getTargetClass(bean);
            Set<Method> methods = MethodIntrospector.selectMethods(type,
                    (MethodIntrospector.MetadataLookup<EntityMapping>) m ->
                            AnnotatedElementUtils.findMergedAnnotation(m, EntityMapping.class)).keySet();
            if (methods.isEmpty()) {
                return bean;
            }
            methods.forEach(m -> interceptor.mapped(m, bean));
            String unproxyable = unproxyable(type, methods);
            if (unproxyable != null) {
                // a subclass proxy would not call a final method on the bean, but on the proxy's own empty fields
                LOG.warn("federation: the @EntityMapping methods of {} are not timed as batches ({}); their loads, "
                        + "the limit and the _entities timings still are", type.getName(), unproxyable);
                return bean;
            }
            return super.postProcessAfterInitialization(bean, beanName);
        }

        /** Why a subclass proxy of {@code type} cannot intercept {@code methods}; {@code null} when it can. */
        static @Nullable String unproxyable(Class<?> type, Set<Method> methods) {
            if (Modifier.isFinal(type.getModifiers())) {
                return "the class is final";
            }
            for (Method m : methods) {
                if (Modifier.isFinal(m.getModifiers()) || Modifier.isPrivate(m.getModifiers())
                        || Modifier.isStatic(m.getModifiers())) {
                    return "method " + m.getName() + " is final, private or static";
                }
            }
            return null;
        }
    }

    /** Around each {@code @EntityMapping} call: a batch event, timed until the returned value completes. */
    static final class Interceptor implements MethodInterceptor {
        private final ObjectProvider<FederatedEntities> entities;
        private final Mappings mappings;
        private final Map<Method, Mapped> methods = new ConcurrentHashMap<>();

        Interceptor(ObjectProvider<FederatedEntities> entities, Mappings mappings) {
            this.entities = entities;
            this.mappings = mappings;
        }

        /** What Spring knows of one method: its typename, batched or not, its key shape and a loader name. */
        private record Mapped(String typename, boolean batch, String keyShape, String loaderName, int keysArgument) {
        }

        /** The index of the first {@code @Argument} parameter that is a collection, or -1. */
        static int keysArgument(Method method) {
            for (int i = 0; i < method.getParameterCount(); i++) {
                if (method.getParameters()[i].isAnnotationPresent(Argument.class)
                        && Collection.class.isAssignableFrom(method.getParameterTypes()[i])) {
                    return i;
                }
            }
            return -1;
        }

        /** Reads {@code method} of {@code bean} once, with Spring's own rule for batch methods, and records it. */
        Mapped mapped(Method method, Object bean) {
            Mapped known = methods.get(method);
            return known != null ? known : methods.computeIfAbsent(method, m -> {
                EntityMapping mapping = AnnotatedElementUtils.findMergedAnnotation(m, EntityMapping.class);
                String typename = mapping != null ? typename(m, mapping) : StringUtils.capitalize(m.getName());
                boolean batch = new FederationSchemaFactory.EntityMappingInfo(typename, new HandlerMethod(bean, m))
                        .isBatchHandlerMethod();
                mappings.add(typename, batch ? FederationMode.BATCHED : FederationMode.DIRECT);
                return new Mapped(typename, batch, keyShape(m, batch), "@EntityMapping "
                        + ClassUtils.getUserClass(bean).getSimpleName() + "." + m.getName(), keysArgument(m));
            });
        }

        private volatile @Nullable FederationObserver observer;

        private FederationObserver observer() {
            FederationObserver o = observer;
            if (o == null) {
                FederatedEntities e = entities.getIfAvailable();
                if (e == null) {
                    return FederationObserver.noop();
                }
                o = e.observer();
                observer = o;
            }
            return o;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            FederationObserver observer = observer();
            if (observer == FederationObserver.noop()) {
                return invocation.proceed();
            }
            Object target = invocation.getThis();
            if (target == null) {
                return invocation.proceed(); // not a bean's method: nothing Spring maps
            }
            Mapped m = mapped(invocation.getMethod(), target);
            int size = m.batch ? size(invocation.getArguments(), m.keysArgument) : 1;
            // the request's GraphQL context, also on Spring's executor (carried there by context propagation), so
            // that the batch span hangs under the request's _entities span and the batch log has its request id
            BatchObservation observation = observer.batchStarted(new BatchCall(m.loaderName, m.typename, m.keyShape,
                    m.batch ? FederationMode.BATCHED : FederationMode.DIRECT, size, 0, CurrentRequest.context()));
            if (observation == null) {
                return invocation.proceed();
            }
            long start = System.nanoTime();
            Object value;
            try {
                value = observation.around(() -> proceed(invocation));
            } catch (Proceeded p) {
                observation.completed(new BatchResult(size, 0, 0, 0, System.nanoTime() - start, p.getCause()));
                throw p.getCause();
            } catch (RuntimeException | Error x) {
                observation.completed(new BatchResult(size, 0, 0, 0, System.nanoTime() - start, x));
                throw x;
            }
            return completed(value, size, observation, start);
        }

        private static Object proceed(MethodInvocation invocation) {
            try {
                return invocation.proceed();
            } catch (RuntimeException | Error e) {
                throw e;
            } catch (Throwable t) {
                throw new Proceeded(t);
            }
        }

        /**
         * The representations of a batch method: the size of its {@code @Argument} collection, else of its first
         * collection argument (the representation maps), else 1.
         */
        private static int size(Object[] arguments, int keysArgument) {
            if (keysArgument >= 0 && arguments[keysArgument] instanceof Collection) {
                return ((Collection<?>) arguments[keysArgument]).size();
            }
            for (Object a : arguments) {
                if (a instanceof Collection) {
                    return ((Collection<?>) a).size();
                }
            }
            return 1;
        }

        /**
         * Tells {@code observation} of the end of {@code value}, once, when it ends (a cancelled {@code Mono} or
         * {@code Flux} ends with a {@link CancellationException}), without changing what it is.
         */
        private static @Nullable Object completed(@Nullable Object value, int size, BatchObservation observation,
                long start) {
            if (value instanceof Mono) {
                AtomicBoolean ended = new AtomicBoolean();
                return ((Mono<?>) value)
                        .doOnSuccess(v -> once(ended, () -> end(observation, size, v, null, start)))
                        .doOnError(x -> once(ended, () -> end(observation, size, null, x, start)))
                        .doOnCancel(() -> once(ended, () -> end(observation, size, null,
                                new CancellationException("cancelled"), start)));
            }
            if (value instanceof Flux) {
                AtomicBoolean ended = new AtomicBoolean();
                AtomicInteger found = new AtomicInteger();
                return ((Flux<?>) value).doOnNext(x -> found.incrementAndGet())
                        .doOnError(x -> once(ended, () -> observation.completed(
                                new BatchResult(size, found.get(), 0, 0, System.nanoTime() - start, x))))
                        .doOnComplete(() -> once(ended, () -> observation.completed(new BatchResult(size,
                                found.get(), Math.max(0, size - found.get()), 0, System.nanoTime() - start, null))))
                        .doOnCancel(() -> once(ended, () -> observation.completed(new BatchResult(size,
                                found.get(), 0, 0, System.nanoTime() - start, new CancellationException("cancelled")))));
            }
            if (value instanceof CompletionStage) {
                return ((CompletionStage<?>) value).whenComplete((v, x) -> end(observation, size, v, x, start));
            }
            if (value instanceof Callable) {
                Callable<?> c = (Callable<?>) value;
                return (Callable<Object>) () -> {
                    long at = System.nanoTime();
                    try {
                        Object v = c.call();
                        end(observation, size, v, null, at);
                        return v;
                    } catch (Exception | Error x) {
                        end(observation, size, null, x, at);
                        throw x;
                    }
                };
            }
            end(observation, size, value, null, start);
            return value;
        }

        private static void once(AtomicBoolean ended, Runnable r) {
            if (ended.compareAndSet(false, true)) {
                r.run();
            }
        }

        private static void end(BatchObservation observation, int size, @Nullable Object value,
                @Nullable Throwable failure, long start) {
            long duration = System.nanoTime() - start;
            if (failure != null) {
                observation.completed(new BatchResult(size, 0, 0, 0, duration, failure));
                return;
            }
            int found = 0;
            if (value instanceof Collection) {
                for (Object o : (Collection<?>) value) {
                    if (o != null) {
                        found++;
                    }
                }
            } else if (value != null) {
                found = 1;
            }
            observation.completed(new BatchResult(size, found, Math.max(0, size - found), 0, duration, null));
        }
    }

    /** A checked exception of the intercepted method, carried through {@code around}. */
    private static final class Proceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Proceeded(Throwable cause) {
            super(cause);
        }
    }

    /** Wraps the {@code _entities} field's fetcher, whichever Spring installed, in the library's observation. */
    static final class EntitiesField extends SimplePerformantInstrumentation {
        /**
         * The message of Spring's {@code RepresentationNotResolvedException}: a method returned {@code null} or
         * completed empty. No entity for that key: a missing load, not a failed one.
         */
        static final String NOT_RESOLVED = "Entity fetcher returned null or completed empty";

        private final FederatedEntities entities;
        private final Mappings mappings;
        /** The wrapper of each fetcher seen (one per schema), so its caches live as long as the schema. */
        private final Map<DataFetcher<?>, DataFetcher<?>> observed = new ConcurrentHashMap<>();

        EntitiesField(FederatedEntities entities, Mappings mappings) {
            this.entities = entities;
            this.mappings = mappings;
            CurrentRequest.register();
        }

        @Override
        public DataFetcher<?> instrumentDataFetcher(DataFetcher<?> dataFetcher,
                InstrumentationFieldFetchParameters parameters, InstrumentationState state) {
            var info = parameters.getExecutionStepInfo();
            if (!"_entities".equals(info.getFieldDefinition().getName())
                    || info.getObjectType() != parameters.getEnvironment().getGraphQLSchema().getQueryType()) {
                return dataFetcher;
            }
            DataFetcher<?> known = observed.get(dataFetcher);
            if (known != null) {
                return known;
            }
            if (observed.isEmpty()) {
                LOG.info("federation: observing Spring for GraphQL's @EntityMapping methods: {}; representation "
                        + "limit {} per request", mappings.describe(), entities.options().maxRepresentations());
            } else if (observed.size() >= 16) {
                observed.clear(); // schemas were replaced: keep the latest only
            }
            return observed.computeIfAbsent(dataFetcher, f -> CurrentRequest.around(entities.observe(f,
                    mappings.modes(), e -> NOT_RESOLVED.equals(e.getMessage()))));
        }
    }

    /**
     * The GraphQL context of the {@code _entities} call a thread works for: set around the field's fetcher, and
     * carried to the executor Spring runs blocking {@code @EntityMapping} methods on. Spring captures a
     * {@code ContextSnapshot} from the request's {@code GraphQLContext} there, so the context is put in it under
     * {@link #KEY}, and a {@code ThreadLocalAccessor} of that key, registered once in Micrometer's
     * {@code ContextRegistry}, sets it on the executor's thread.
     */
    static final class CurrentRequest implements io.micrometer.context.ThreadLocalAccessor<CurrentRequest.Holder> {
        static final String KEY = "dev.federation.spring.entities-request";
        private static final ThreadLocal<Holder> CURRENT = new ThreadLocal<>();
        private static final AtomicBoolean REGISTERED = new AtomicBoolean();

        /** The context, in a holder that never prints it (it is stored inside itself). */
        record Holder(graphql.GraphQLContext context) {
            @Override
            public String toString() {
                return "federation _entities request";
            }
        }

        static void register() {
            if (REGISTERED.compareAndSet(false, true)) {
                io.micrometer.context.ContextRegistry.getInstance().registerThreadLocalAccessor(new CurrentRequest());
            }
        }

        /** The context of the {@code _entities} call this thread works for, or {@code null}. */
        static graphql.@Nullable GraphQLContext context() {
            Holder h = CURRENT.get();
            return h == null ? null : h.context();
        }

        /** {@code fetcher} with the request's context current around it and in its {@code GraphQLContext}. */
        static DataFetcher<?> around(DataFetcher<?> fetcher) {
            return env -> {
                graphql.GraphQLContext context = env.getGraphQlContext();
                Holder holder = context.get(KEY);
                if (holder == null) {
                    holder = new Holder(context);
                    context.put(KEY, holder);
                }
                Holder previous = CURRENT.get();
                CURRENT.set(holder);
                try {
                    return fetcher.get(env);
                } finally {
                    if (previous == null) {
                        CURRENT.remove();
                    } else {
                        CURRENT.set(previous);
                    }
                }
            };
        }

        @Override
        public Object key() {
            return KEY;
        }

        @Override
        public @Nullable Holder getValue() {
            return CURRENT.get();
        }

        @Override
        public void setValue(Holder value) {
            CURRENT.set(value);
        }

        @Override
        public void setValue() {
            CURRENT.remove();
        }
    }
}
