-- Named queries for the dashboard. Each statement starts with "-- name: <query_name>" and is
-- loaded once by data/queries.py. Parameters are always bound ($name), never formatted in.

-- name: partner_features
-- One row per partner with every raw input the scoring criteria need, each with its year.
-- Spending: SIPRI latest year on record (consistent definition for all countries) and the NATO
-- series for allies (2025 estimate where published, else the latest NATO table year).
WITH sipri AS (
    SELECT iso3, year, share_gdp_pct, usd_const_m,
           row_number() OVER (PARTITION BY iso3 ORDER BY year DESC) AS rn
    FROM spending
    WHERE series = 'sipri' AND share_gdp_pct IS NOT NULL
),
sipri_latest AS (SELECT * FROM sipri WHERE rn = 1),
sipri_then AS (
    SELECT s.iso3, s.share_gdp_pct AS share_then, s.year AS year_then
    FROM spending s JOIN sipri_latest l
      ON s.iso3 = l.iso3 AND s.series = 'sipri' AND s.year = l.year - $trend_years
),
nato AS (
    SELECT iso3, year, share_gdp_pct, is_estimate, series,
           row_number() OVER (PARTITION BY iso3 ORDER BY year DESC, series DESC) AS rn
    FROM spending
    WHERE series IN ('nato', 'nato_2025e') AND share_gdp_pct IS NOT NULL
),
nato_latest AS (SELECT * FROM nato WHERE rn = 1),
nato_then AS (
    SELECT s.iso3, s.share_gdp_pct AS share_then
    FROM spending s JOIN nato_latest l
      ON s.iso3 = l.iso3 AND s.series = 'nato' AND s.year = l.year - $trend_years
),
equipment AS (
    SELECT iso3, equipment_share_pct, year,
           row_number() OVER (PARTITION BY iso3 ORDER BY year DESC) AS rn
    FROM spending
    WHERE series = 'nato' AND equipment_share_pct IS NOT NULL
),
pledge AS (
    SELECT iso3, share_gdp_pct AS pledge_pct, year AS pledge_year,
           row_number() OVER (PARTITION BY iso3 ORDER BY year, share_gdp_pct DESC) AS rn
    FROM spending
    WHERE series = 'pledge'
),
arms AS (
    SELECT iso3,
           sum(us_tiv_m) AS us_tiv_recent,
           100 * sum(us_tiv_m) / nullif(sum(total_imports_tiv_m), 0) AS us_import_share
    FROM us_arms_delivery
    WHERE year > $arms_to_year - $arms_years AND year <= $arms_to_year
    GROUP BY iso3
),
fh AS (
    SELECT iso3, fh_total, fh_status, edition,
           row_number() OVER (PARTITION BY iso3 ORDER BY edition DESC) AS rn
    FROM governance
),
judged AS (
    SELECT iso3,
           max(score) FILTER (WHERE criterion = 'frontline')             AS frontline,
           max(theater) FILTER (WHERE criterion = 'frontline')           AS theater,
           max(score) FILTER (WHERE criterion = 'us_plans_role')         AS us_plans_role,
           max(score) FILTER (WHERE criterion = 'basing_access')         AS basing_access,
           max(score) FILTER (WHERE criterion = 'interoperability')      AS interoperability,
           max(score) FILTER (WHERE criterion = 'industrial_investment') AS industrial_investment,
           max(score) FILTER (WHERE criterion = 'end_use_risk')          AS end_use_risk
    FROM strategic_assessment
    GROUP BY iso3
)
SELECT p.iso3, p.name, p.analyst_region, p.un_subregion, p.lat, p.lon,
       p.nato_member, p.mnna,
       sl.share_gdp_pct                      AS sipri_share,
       sl.year                               AS sipri_year,
       sl.share_gdp_pct - st.share_then      AS sipri_trend,
       sl.usd_const_m                        AS sipri_usd_const_m,
       nl.share_gdp_pct                      AS nato_share,
       nl.year                               AS nato_year,
       nl.is_estimate                        AS nato_is_estimate,
       nl.share_gdp_pct - nt.share_then      AS nato_trend,
       eq.equipment_share_pct                AS equipment_share,
       eq.year                               AS equipment_year,
       pl.pledge_pct, pl.pledge_year,
       coalesce(up.troops_present_approx, up.troops_assigned) AS us_troops,
       up.n_bases,
       coalesce(up.n_bases, 0) AS vine_sites,   -- the Vine list is global: a partner absent from it has none listed
       arms.us_tiv_recent, arms.us_import_share,
       fh.fh_total, fh.fh_status, fh.edition AS fh_edition,
       CASE WHEN fh.fh_status IS NULL THEN NULL WHEN fh.fh_status = 'NF' THEN 1.0 ELSE 0.0 END AS fh_not_free,
       j.frontline, j.theater, j.us_plans_role, j.basing_access, j.interoperability,
       j.industrial_investment, j.end_use_risk,
       g.adversary_km, g.nearest_adversary, g.method AS geo_method
FROM partner p
LEFT JOIN sipri_latest sl ON sl.iso3 = p.iso3
LEFT JOIN sipri_then st   ON st.iso3 = p.iso3
LEFT JOIN nato_latest nl  ON nl.iso3 = p.iso3
LEFT JOIN nato_then nt    ON nt.iso3 = p.iso3
LEFT JOIN equipment eq    ON eq.iso3 = p.iso3 AND eq.rn = 1
LEFT JOIN pledge pl       ON pl.iso3 = p.iso3 AND pl.rn = 1
LEFT JOIN us_presence up  ON up.iso3 = p.iso3
LEFT JOIN arms            ON arms.iso3 = p.iso3
LEFT JOIN fh              ON fh.iso3 = p.iso3 AND fh.rn = 1
LEFT JOIN judged j        ON j.iso3 = p.iso3
LEFT JOIN geography g     ON g.iso3 = p.iso3
ORDER BY p.iso3;

-- name: open_orders
-- Orders that compete for capacity: a modelled production line, a unit count, units still open
-- (delivered and cancelled orders have none), plus one "other customers, not itemised" block per
-- line whose published foreign backlog exceeds its itemised open orders. A block has no partner
-- (iso3 NULL); it takes its FCFS place at the backlog's date and the median priority score.
-- An order already in delivery whose contract date is not published was signed before anything
-- still waiting: it takes the FCFS place of its line's oldest dated order (date_assumed = TRUE).
-- Undated orders not yet in delivery do not compete.
WITH itemised AS (SELECT * FROM itemised_orders('arms_order')),
load AS (
    SELECT line_id, sum(units_open) AS itemised_units FROM itemised GROUP BY line_id
),
blocks AS (
    SELECT 800000 + row_number() OVER (ORDER BY l.line_id) AS order_id, NULL AS iso3,
           'Other customers (not itemised)' AS partner, 'Not itemised' AS analyst_region,
           l.line_id, l.platform, l.sensitivity,
           'Published backlog not matched by itemised orders (' || l.backlog_scope || ')' AS description,
           CAST(floor(l.backlog_foreign_units - coalesce(ld.itemised_units, 0)) AS INTEGER) AS units_open,
           TRUE AS units_open_is_estimate,
           NULL::INTEGER AS quantity,
           round((l.backlog_foreign_units - coalesce(ld.itemised_units, 0)) * l.unit_cost_musd / 1000, 3) AS value_busd,
           'unit cost × units' AS value_basis,
           l.backlog_as_of AS contract_date, 'day' AS date_precision, 'backlog' AS status,
           'medium' AS confidence, f.source_url AS best_source_url, d.source_class AS best_source_class,
           f.source_url AS source_urls, TRUE AS is_block, FALSE AS date_assumed
    FROM production_line l
    LEFT JOIN load ld USING (line_id)
    LEFT JOIN line_fact f ON f.line_id = l.line_id AND f.field = 'backlog_units'
    LEFT JOIN source_domain d ON d.domain = f.domain
    WHERE l.backlog_foreign_units - coalesce(ld.itemised_units, 0) >= 1
)
SELECT * FROM itemised
UNION ALL
SELECT * FROM blocks
ORDER BY line_id, contract_date, order_id;

-- name: uploaded_open_orders
-- An analyst's uploaded order book (registered on the cursor as the view uploaded_order, laid out as
-- arms_order): the same itemised orders as open_orders, without the store's "other customers" blocks
-- (the upload is the analyst's whole book).
SELECT * FROM itemised_orders('uploaded_order')
ORDER BY line_id, contract_date, order_id;

-- name: all_orders
-- The whole order book, history included (delivered, cancelled), with the best source first.
SELECT o.order_id, o.record_id, p.name AS partner, o.iso3, p.analyst_region, o.description, o.line_id,
       l.platform, o.quantity, o.quantity_basis, o.units_open, o.units_open_is_estimate,
       o.delivered_units, o.delivered_as_of, o.value_busd, o.value_basis, o.notified_date,
       o.signed_date, o.contract_date, o.date_precision, o.status, o.confidence, o.estimated_fields,
       o.best_source_url, o.best_source_class, bs.quote AS best_quote, o.source_urls,
       o.review_verdict, o.notes, o.review_note
FROM arms_order o
JOIN partner p USING (iso3)
LEFT JOIN production_line l USING (line_id)
LEFT JOIN order_source bs ON bs.order_id = o.order_id AND bs.rank = 1
ORDER BY o.contract_date, o.order_id;

-- name: partner_orders
-- One partner's whole US order history (delivered, open, notified, cancelled), newest first.
SELECT o.order_id, o.description, l.platform, o.quantity, o.units_open, o.delivered_units,
       o.delivered_as_of, o.value_busd, o.value_basis, o.notified_date, o.signed_date, o.status,
       o.confidence, o.best_source_url, o.best_source_class
FROM arms_order o
LEFT JOIN production_line l USING (line_id)
WHERE o.iso3 = $iso3
ORDER BY o.contract_date DESC, o.order_id;

-- name: order_sources
-- Every page cited for one order, best class first, with its quote.
SELECT s.rank, s.role, s.source_class, d.outlet, s.url, s.quote
FROM order_source s JOIN source_domain d USING (domain)
WHERE s.order_id = $order_id
ORDER BY s.rank;

-- name: order_review_summary
-- Review verdicts and the class of each order's best page, for the Data page.
SELECT r.verdict, coalesce(r.curation, '') AS curation, count(*) AS n_records
FROM order_review r
GROUP BY ALL
ORDER BY r.verdict, curation;

-- name: source_domains
SELECT d.domain, d.source_class, d.outlet, d.reason,
       count(DISTINCT s.order_id) AS orders_citing
FROM source_domain d
LEFT JOIN order_source s USING (domain)
GROUP BY ALL
ORDER BY d.source_class, d.domain;

-- name: line_facts
SELECT f.line_id, l.platform, f.field, f.value, f.as_of, f.basis, d.outlet, d.source_class,
       f.source_url, f.quote
FROM line_fact f
JOIN production_line l USING (line_id)
JOIN source_domain d USING (domain)
ORDER BY f.line_id, f.field;

-- name: eligibility_rules
SELECT e.iso3, p.name AS partner, e.rule_id, e.status, e.scope,
       strftime(e.effective_from, '%Y-%m-%d') AS effective_from,
       strftime(e.effective_to, '%Y-%m-%d') AS effective_to,
       e.rule, e.citation, e.citation_url, e.note
FROM eligibility e JOIN partner p USING (iso3)
ORDER BY p.name, e.rule_id;

-- name: data_vintage
-- The order book's vintage: its latest dated event (notification, signature or delivery count).
SELECT greatest(max(notified_date), max(signed_date)) AS latest_order_date
FROM arms_order;

-- name: production_lines
SELECT l.*, s.title AS source_title, s.vintage AS source_vintage
FROM production_line l JOIN source s USING (source_id)
ORDER BY l.category, l.line_id;

-- name: spending_history
-- One partner's spending series (all series), oldest first.
SELECT s.year, s.series, s.share_gdp_pct, s.usd_const_m, s.usd_current_m, s.equipment_share_pct,
       s.is_estimate, s.note, src.publisher, src.title AS source_title, src.vintage
FROM spending s JOIN source src USING (source_id)
WHERE s.iso3 = $iso3
ORDER BY s.series, s.year;

-- name: partner_judgements
SELECT a.criterion, a.score, a.theater, a.rationale, a.source_ref
FROM strategic_assessment a
WHERE a.iso3 = $iso3
ORDER BY a.criterion;

-- name: all_judgements
SELECT a.iso3, p.name AS partner, a.criterion, a.score, a.theater, a.rationale, a.source_ref
FROM strategic_assessment a JOIN partner p USING (iso3)
ORDER BY p.name, a.criterion;

-- name: partner_presence
SELECT up.*, sa.title AS assigned_source, sp.title AS present_source
FROM us_presence up
LEFT JOIN source sa ON sa.source_id = up.assigned_source_id
LEFT JOIN source sp ON sp.source_id = up.present_source_id
WHERE up.iso3 = $iso3;

-- name: partner_arms_history
SELECT year, us_tiv_m, total_imports_tiv_m, us_share_pct
FROM us_arms_delivery
WHERE iso3 = $iso3
ORDER BY year;

-- name: partner_governance
SELECT edition, data_year, fh_status, fh_total
FROM governance
WHERE iso3 = $iso3
ORDER BY edition;

-- name: sources
SELECT * FROM source ORDER BY is_judgement, publisher, source_id;

-- name: table_sources
-- Which sources each table's rows point to, with row counts and estimate counts.
SELECT 'spending' AS table_name, source_id, count(*) AS n_rows, count(*) FILTER (WHERE is_estimate) AS n_estimates,
       min(year) AS first_year, max(year) AS last_year
FROM spending GROUP BY source_id
UNION ALL
SELECT 'economy', source_id, count(*), count(*) FILTER (WHERE is_estimate), min(year), max(year)
FROM economy GROUP BY source_id
UNION ALL
SELECT 'governance', source_id, count(*), 0, min(edition), max(edition)
FROM governance GROUP BY source_id
UNION ALL
SELECT 'us_arms_delivery', source_id, count(*), 0, min(year), max(year)
FROM us_arms_delivery GROUP BY source_id
UNION ALL
SELECT 'strategic_assessment', source_id, count(*), count(*), NULL, NULL
FROM strategic_assessment GROUP BY source_id
UNION ALL
SELECT 'production_line', source_id, count(*), count(*) FILTER (WHERE is_estimate), min(capacity_year), max(capacity_year)
FROM production_line GROUP BY source_id
UNION ALL
SELECT 'arms_order', source_id, count(*), count(*) FILTER (WHERE units_open_is_estimate OR estimated_fields IS NOT NULL),
       min(year(contract_date)), max(year(contract_date))
FROM arms_order GROUP BY source_id
UNION ALL
SELECT 'eligibility', source_id, count(*), 0, min(year(effective_from)), max(year(effective_from))
FROM eligibility GROUP BY source_id
ORDER BY table_name, source_id;

-- name: table_counts
SELECT 'partner' AS table_name, count(*) AS n_rows FROM partner
UNION ALL SELECT 'spending', count(*) FROM spending
UNION ALL SELECT 'economy', count(*) FROM economy
UNION ALL SELECT 'governance', count(*) FROM governance
UNION ALL SELECT 'us_presence', count(*) FROM us_presence
UNION ALL SELECT 'us_arms_delivery', count(*) FROM us_arms_delivery
UNION ALL SELECT 'strategic_assessment', count(*) FROM strategic_assessment
UNION ALL SELECT 'production_line', count(*) FROM production_line
UNION ALL SELECT 'arms_order', count(*) FROM arms_order
UNION ALL SELECT 'order_source', count(*) FROM order_source
UNION ALL SELECT 'order_review', count(*) FROM order_review
UNION ALL SELECT 'source_domain', count(*) FROM source_domain
UNION ALL SELECT 'line_fact', count(*) FROM line_fact
UNION ALL SELECT 'geography', count(*) FROM geography
UNION ALL SELECT 'eligibility', count(*) FROM eligibility
UNION ALL SELECT 'source', count(*) FROM source;

-- name: partners_table
SELECT p.iso3, p.name, p.analyst_region, p.un_subregion, p.nato_member, p.nato_join_year,
       p.mnna, p.mnna_year, p.lat, p.lon
FROM partner p
ORDER BY p.name;

-- name: store_meta
SELECT seeds_hash, built_at FROM store_meta;
