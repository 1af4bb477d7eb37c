package io.robustlab.system;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a PromQL expression reads: its metric names, the label matchers on each, and the labels
 * it groups by. Enough of PromQL for dashboard queries (selectors, functions, aggregations with
 * by/without, arithmetic), not a full parser.
 */
final class PromQl {

    record LabelMatcher(String metric, String label, String op, String value) {
    }

    private static final Set<String> WORDS = Set.of("sum", "avg", "min", "max", "count", "rate", "irate", "increase", "delta",
            "by", "without", "on", "ignoring", "group_left", "group_right", "and", "or", "unless", "bool", "offset", "topk", "bottomk",
            "histogram_quantile", "quantile", "stddev", "abs", "clamp_min", "clamp_max", "time", "vector", "scalar", "sort",
            "sort_desc", "avg_over_time", "max_over_time", "min_over_time", "sum_over_time", "label_replace", "e", "inf", "nan");
    private static final Pattern SELECTOR = Pattern.compile("([a-zA-Z_:][a-zA-Z0-9_:]*)\\s*\\{([^}]*)}");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");
    private static final Pattern GROUPING = Pattern.compile("\\b(?:by|without)\\s*\\(([^)]*)\\)");
    private static final Pattern IDENTIFIER = Pattern.compile("(?<![\\w.\"])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\\w\"])");

    final Set<String> metrics = new LinkedHashSet<>();
    final List<LabelMatcher> matchers = new ArrayList<>();
    final Set<String> groupingLabels = new LinkedHashSet<>();

    PromQl(String expr) {
        String rest = expr;
        Matcher s = SELECTOR.matcher(expr);
        while (s.find()) {
            metrics.add(s.group(1));
            Matcher m = MATCHER.matcher(s.group(2));
            while (m.find()) {
                matchers.add(new LabelMatcher(s.group(1), m.group(1), m.group(2), m.group(3)));
            }
        }
        rest = SELECTOR.matcher(rest).replaceAll(" ");
        Matcher g = GROUPING.matcher(rest);
        while (g.find()) {
            for (String label : g.group(1).split(",")) {
                groupingLabels.add(label.trim());
            }
        }
        rest = GROUPING.matcher(rest).replaceAll(" ").replaceAll("\\[[^]]*]", " ").replaceAll("\\b\\d+(\\.\\d+)?\\b", " ");
        Matcher i = IDENTIFIER.matcher(rest);
        while (i.find()) {
            if (!WORDS.contains(i.group(1))) {
                metrics.add(i.group(1));
            }
        }
    }
}
