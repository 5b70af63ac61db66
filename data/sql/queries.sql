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
       arms.us_tiv_recent, arms.us_import_share,
       fh.fh_total, fh.fh_status, fh.edition AS fh_edition,
       j.frontline, j.theater, j.us_plans_role, j.basing_access, j.interoperability,
       j.industrial_investment, j.end_use_risk
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
ORDER BY p.iso3;

-- name: open_orders
-- Orders that compete for capacity: a modelled production line, a unit count, units still open.
SELECT o.order_id, o.iso3, p.name AS partner, p.analyst_region, o.line_id, l.platform,
       l.sensitivity, o.description, o.units_open, o.units_open_is_estimate, o.quantity,
       o.value_busd, o.contract_date, o.date_precision, o.status, o.source_urls
FROM arms_order o
JOIN partner p USING (iso3)
JOIN production_line l USING (line_id)
WHERE o.units_open > 0
ORDER BY o.line_id, o.contract_date, o.order_id;

-- name: all_orders
SELECT o.order_id, p.name AS partner, o.iso3, o.description, o.line_id, o.quantity, o.units_open,
       o.units_open_is_estimate, o.value_busd, o.contract_date, o.date_precision, o.status,
       s.publisher || ' — ' || s.title AS source, o.source_urls, o.notes
FROM arms_order o
JOIN partner p USING (iso3)
JOIN source s USING (source_id)
ORDER BY o.contract_date, o.order_id;

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

-- name: partner_economy
SELECT year, gdp_current_usd_m, population, is_estimate, note
FROM economy
WHERE iso3 = $iso3
ORDER BY year;

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
SELECT 'arms_order', source_id, count(*), count(*) FILTER (WHERE units_open_is_estimate),
       min(year(contract_date)), max(year(contract_date))
FROM arms_order GROUP BY source_id
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
UNION ALL SELECT 'source', count(*) FROM source;

-- name: partners_table
SELECT p.iso3, p.name, p.analyst_region, p.un_subregion, p.nato_member, p.nato_join_year,
       p.mnna, p.mnna_year, p.lat, p.lon
FROM partner p
ORDER BY p.name;

-- name: spending_table
SELECT p.name AS partner, s.iso3, s.year, s.series, s.share_gdp_pct, s.usd_const_m, s.usd_current_m,
       s.equipment_share_pct, s.is_estimate, src.publisher || ', ' || src.vintage AS source, s.note
FROM spending s JOIN partner p USING (iso3) JOIN source src USING (source_id)
WHERE ($iso3 IS NULL OR s.iso3 = $iso3)
ORDER BY p.name, s.series, s.year;

-- name: store_meta
SELECT seeds_hash, built_at FROM store_meta;
