-- Schema of the arms-transfer priority store (DuckDB).
-- Every figure row points to a `source`; estimates and analyst judgements are flagged.
-- Built from the CSV seeds in data/seeds/ by `python -m data.build` (data/store.py).

CREATE TABLE source (
    source_id      VARCHAR PRIMARY KEY,          -- short key, e.g. 'sipri_milex_2025'
    publisher      VARCHAR NOT NULL,             -- SIPRI, NATO, World Bank, Freedom House, DMDC, press, analyst
    title          VARCHAR NOT NULL,
    vintage        VARCHAR NOT NULL,             -- edition / release, e.g. 'April 2025 release'
    url            VARCHAR,
    licence        VARCHAR,
    is_judgement   BOOLEAN NOT NULL DEFAULT FALSE,
    notes          VARCHAR
);

CREATE TABLE partner (
    iso3               VARCHAR PRIMARY KEY CHECK (length(iso3) = 3),
    name               VARCHAR NOT NULL,
    analyst_region     VARCHAR NOT NULL CHECK (analyst_region IN (
        'NATO Eastern Flank', 'NATO Europe other', 'Other Europe & Caucasus',
        'Indo-Pacific frontline', 'Indo-Pacific other', 'Middle East & Gulf',
        'Americas', 'Africa', 'Central & South Asia')),
    un_region          VARCHAR,
    un_subregion       VARCHAR,
    lat                DOUBLE CHECK (lat BETWEEN -90 AND 90),
    lon                DOUBLE CHECK (lon BETWEEN -180 AND 180),
    nato_member        BOOLEAN NOT NULL,
    nato_join_year     INTEGER CHECK (nato_join_year BETWEEN 1949 AND 2030),
    mnna               BOOLEAN NOT NULL,            -- Major Non-NATO Ally (Taiwan de facto)
    mnna_year          INTEGER CHECK (mnna_year BETWEEN 1987 AND 2030),
    region_source_id   VARCHAR NOT NULL REFERENCES source (source_id),
    status_source_id   VARCHAR NOT NULL REFERENCES source (source_id)
);

-- Defence spending, one row per partner, year and series.
-- series: 'sipri' (SIPRI milex), 'nato' (NATO tables), 'nato_2025e' (NATO 2025 estimates),
--         'pledge' (a stated target: share_gdp_pct to be reached by `year`).
CREATE TABLE spending (
    iso3                 VARCHAR NOT NULL REFERENCES partner (iso3),
    year                 INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2040),
    series               VARCHAR NOT NULL CHECK (series IN ('sipri', 'nato', 'nato_2025e', 'pledge')),
    share_gdp_pct        DOUBLE CHECK (share_gdp_pct >= 0 AND share_gdp_pct <= 100),
    usd_const_m          DOUBLE CHECK (usd_const_m >= 0),      -- SIPRI: constant 2023 US$; NATO: constant 2015 US$
    usd_current_m        DOUBLE CHECK (usd_current_m >= 0),
    equipment_share_pct  DOUBLE CHECK (equipment_share_pct >= 0 AND equipment_share_pct <= 100),
    is_estimate          BOOLEAN NOT NULL,
    source_id            VARCHAR NOT NULL REFERENCES source (source_id),
    note                 VARCHAR,
    PRIMARY KEY (iso3, year, series)
);

CREATE TABLE economy (
    iso3              VARCHAR NOT NULL REFERENCES partner (iso3),
    year              INTEGER NOT NULL CHECK (year BETWEEN 2000 AND 2040),
    gdp_current_usd_m DOUBLE CHECK (gdp_current_usd_m > 0),
    population        BIGINT CHECK (population > 0),
    is_estimate       BOOLEAN NOT NULL,
    source_id         VARCHAR NOT NULL REFERENCES source (source_id),
    note              VARCHAR,
    PRIMARY KEY (iso3, year)
);

CREATE TABLE governance (
    iso3          VARCHAR NOT NULL REFERENCES partner (iso3),
    edition       INTEGER NOT NULL CHECK (edition BETWEEN 2013 AND 2040),
    data_year     INTEGER NOT NULL,
    fh_status     VARCHAR NOT NULL CHECK (fh_status IN ('F', 'PF', 'NF')),
    fh_total      INTEGER NOT NULL CHECK (fh_total BETWEEN -10 AND 100),   -- FH allows small negatives
    source_id     VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (iso3, edition)
);

-- US military presence: DMDC assigned personnel (latest report) and approximate presence incl. rotational.
CREATE TABLE us_presence (
    iso3                  VARCHAR PRIMARY KEY REFERENCES partner (iso3),
    troops_assigned       INTEGER CHECK (troops_assigned >= 0),
    assigned_as_of        VARCHAR,                 -- DMDC report, e.g. 'December 2025'
    assigned_source_id    VARCHAR REFERENCES source (source_id),
    troops_present_approx INTEGER CHECK (troops_present_approx >= 0),
    present_is_estimate   BOOLEAN NOT NULL DEFAULT TRUE,
    present_source_id     VARCHAR REFERENCES source (source_id),
    n_bases               INTEGER CHECK (n_bases >= 0),   -- major bases + lily pads (Vine/troopdata, ~2018)
    bases_source_id       VARCHAR REFERENCES source (source_id),
    access_agreements     VARCHAR,                 -- e.g. 'DCA 2023; EDCA 9 sites'
    note                  VARCHAR
);

-- US arms deliveries by recipient and year (SIPRI TIV, volume not price).
CREATE TABLE us_arms_delivery (
    iso3                  VARCHAR NOT NULL REFERENCES partner (iso3),
    year                  INTEGER NOT NULL CHECK (year BETWEEN 1995 AND 2040),
    us_tiv_m              DOUBLE NOT NULL CHECK (us_tiv_m >= 0),
    total_imports_tiv_m   DOUBLE CHECK (total_imports_tiv_m >= 0),
    us_share_pct          DOUBLE CHECK (us_share_pct >= 0 AND us_share_pct <= 100),
    source_id             VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (iso3, year)
);

-- Analyst judgements the criteria need and no dataset gives. Scores 0 (none) .. 5 (highest).
-- criterion: 'frontline', 'us_plans_role', 'basing_access', 'interoperability',
--            'industrial_investment', 'end_use_risk'
CREATE TABLE strategic_assessment (
    iso3        VARCHAR NOT NULL REFERENCES partner (iso3),
    criterion   VARCHAR NOT NULL CHECK (criterion IN ('frontline', 'us_plans_role', 'basing_access',
                    'interoperability', 'industrial_investment', 'end_use_risk')),
    score       DOUBLE NOT NULL CHECK (score BETWEEN 0 AND 5),
    theater     VARCHAR,                             -- frontline theatre name (criterion 'frontline')
    rationale   VARCHAR NOT NULL CHECK (length(rationale) > 0),
    source_ref  VARCHAR NOT NULL CHECK (length(source_ref) > 0),   -- source keys / URLs behind the judgement
    source_id   VARCHAR NOT NULL REFERENCES source (source_id),    -- the analyst-judgement source
    PRIMARY KEY (iso3, criterion)
);

CREATE TABLE production_line (
    line_id                  VARCHAR PRIMARY KEY,
    platform                 VARCHAR NOT NULL,
    category                 VARCHAR NOT NULL,
    unit_name                VARCHAR NOT NULL,
    unit_cost_musd           DOUBLE NOT NULL CHECK (unit_cost_musd > 0),
    annual_capacity_units    DOUBLE NOT NULL CHECK (annual_capacity_units > 0),
    capacity_year            INTEGER NOT NULL CHECK (capacity_year BETWEEN 2015 AND 2040),
    target_capacity_units    DOUBLE CHECK (target_capacity_units > 0),
    target_year              INTEGER CHECK (target_year BETWEEN 2015 AND 2045),
    sensitivity              VARCHAR NOT NULL CHECK (sensitivity IN ('low', 'medium', 'high')),
    is_estimate              BOOLEAN NOT NULL,
    source_id                VARCHAR NOT NULL REFERENCES source (source_id),
    source_urls              VARCHAR NOT NULL,
    notes                    VARCHAR,
    us_share                 DOUBLE CHECK (us_share >= 0 AND us_share < 1),   -- published US share of output (NULL = use the default)
    lead_time_months         DOUBLE CHECK (lead_time_months >= 0),            -- contract to first delivery, where published
    backlog_units            DOUBLE CHECK (backlog_units >= 0),               -- published total backlog
    backlog_as_of            DATE,
    backlog_scope            VARCHAR,
    backlog_foreign_units    DOUBLE CHECK (backlog_foreign_units >= 0),       -- the foreign part of it (NULL where it cannot be separated)
    public_orders_note       VARCHAR,                                         -- sourced statement where no open foreign order is public
    public_orders_source_url VARCHAR,
    CHECK ((backlog_units IS NULL) = (backlog_as_of IS NULL)),
    CHECK ((target_capacity_units IS NULL) = (target_year IS NULL)),
    CHECK (target_year IS NULL OR target_year >= capacity_year)
);

-- Frontline geography measured from country outlines (scoring/geography.py): distance from the
-- partner's territory to the nearest adversary territory (Russia, Belarus, PRC, DPRK, Iran).
CREATE TABLE geography (
    iso3               VARCHAR PRIMARY KEY REFERENCES partner (iso3),
    nearest_adversary  VARCHAR NOT NULL,
    adversary_km       DOUBLE NOT NULL CHECK (adversary_km >= 0),
    method             VARCHAR NOT NULL CHECK (method IN ('outline', 'centroid')),   -- centroid = no outline, approximate
    source_id          VARCHAR NOT NULL REFERENCES source (source_id)
);

-- Every cited web domain, classed once by source quality (data/curation/source_domains.csv).
CREATE TABLE source_domain (
    domain        VARCHAR PRIMARY KEY,
    source_class  VARCHAR NOT NULL CHECK (source_class IN ('official', 'trade_press', 'wire_major', 'other', 'excluded')),
    outlet        VARCHAR NOT NULL,
    reason        VARCHAR
);

-- Sourced per-line facts behind the production table's load figures (rate, target, US share,
-- lead time, backlog): one row per line and field, with the verbatim quote that carries it.
CREATE TABLE line_fact (
    line_id       VARCHAR NOT NULL REFERENCES production_line (line_id),
    field         VARCHAR NOT NULL CHECK (field IN ('annual_rate', 'target_rate', 'us_share', 'lead_time_months', 'backlog_units')),
    value         DOUBLE NOT NULL,
    as_of         VARCHAR,
    basis         VARCHAR,
    source_url    VARCHAR NOT NULL,
    domain        VARCHAR NOT NULL REFERENCES source_domain (domain),
    quote         VARCHAR NOT NULL CHECK (length(quote) > 0),
    PRIMARY KEY (line_id, field)
);

-- The public order book (data/orderbook.py): one row per distinct buy, reviewed row by row.
-- Orders without a modelled line (line_id NULL) or without a unit count stay in the book for
-- reference but do not compete for capacity; delivered and cancelled orders are history.
CREATE TABLE arms_order (
    order_id        INTEGER PRIMARY KEY,
    record_id       VARCHAR NOT NULL UNIQUE,
    iso3            VARCHAR NOT NULL REFERENCES partner (iso3),
    line_id         VARCHAR REFERENCES production_line (line_id),
    description     VARCHAR NOT NULL,
    quantity        INTEGER CHECK (quantity > 0),
    quantity_basis  VARCHAR,                              -- what was counted
    units_open      INTEGER CHECK (units_open >= 0),      -- units still to deliver (estimate where flagged)
    units_open_is_estimate BOOLEAN NOT NULL,
    delivered_units INTEGER CHECK (delivered_units >= 0), -- reported delivered count
    delivered_as_of VARCHAR,
    value_busd      DOUBLE CHECK (value_busd >= 0),
    value_basis     VARCHAR CHECK (value_basis IN ('notified ceiling', 'LOA/contract', 'reported', 'pro-rata share')),
    notified_date   DATE,
    signed_date     DATE,
    contract_date   DATE CHECK (contract_date BETWEEN DATE '1990-01-01' AND DATE '2040-12-31'),  -- FCFS date: signed, else notified; NULL = undated, not queued
    date_precision  VARCHAR CHECK (date_precision IN ('day', 'month', 'year')),
    status          VARCHAR NOT NULL CHECK (status IN ('notified', 'signed', 'delivering', 'delivered', 'cancelled')),
    confidence      VARCHAR NOT NULL CHECK (confidence IN ('high', 'medium', 'low')),
    estimated_fields VARCHAR,                             -- figures no retrieved page carries (labelled estimates)
    expected_delivery VARCHAR,
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    source_urls     VARCHAR NOT NULL CHECK (length(source_urls) > 0),   -- best first
    best_source_url VARCHAR NOT NULL,
    best_source_class VARCHAR NOT NULL CHECK (best_source_class IN ('official', 'trade_press', 'wire_major', 'other')),
    review_verdict  VARCHAR NOT NULL CHECK (review_verdict IN ('keep', 'corrected', 'flagged')),
    notes           VARCHAR,
    review_note     VARCHAR,
    CHECK (units_open IS NULL OR quantity IS NULL OR units_open <= quantity),
    CHECK (signed_date IS NULL OR notified_date IS NULL OR signed_date >= notified_date),
    CHECK (status <> 'notified' OR signed_date IS NULL),
    CHECK (status NOT IN ('delivered', 'cancelled') OR coalesce(units_open, 0) = 0)
);

-- Every page cited for an order, best class first, with the verbatim quote where the page holds it.
CREATE TABLE order_source (
    order_id      INTEGER NOT NULL REFERENCES arms_order (order_id),
    rank          INTEGER NOT NULL CHECK (rank >= 1),
    role          VARCHAR NOT NULL CHECK (role IN ('cited', 'second', 'better')),
    url           VARCHAR NOT NULL,
    domain        VARCHAR NOT NULL REFERENCES source_domain (domain),
    source_class  VARCHAR NOT NULL CHECK (source_class IN ('official', 'trade_press', 'wire_major', 'other', 'excluded')),
    quote         VARCHAR,
    PRIMARY KEY (order_id, rank)
);

-- The review of every researched record, kept or not (verdicts, duplicates, drops and why).
CREATE TABLE order_review (
    record_id     VARCHAR PRIMARY KEY,
    verdict       VARCHAR NOT NULL CHECK (verdict IN ('keep', 'corrected', 'flagged', 'dropped')),
    duplicate_of  VARCHAR,
    curation      VARCHAR,
    review_file   VARCHAR NOT NULL,
    review_note   VARCHAR
);

-- US arms-transfer eligibility rules (22 CFR 126.1, State Sponsors of Terrorism, UN embargoes),
-- one row per partner and rule with its effective period; scoring/eligibility.py decides the
-- status on a date (denied > restricted > eligible among the rules in force).
CREATE TABLE eligibility (
    iso3            VARCHAR NOT NULL REFERENCES partner (iso3),
    rule_id         VARCHAR NOT NULL,
    status          VARCHAR NOT NULL CHECK (status IN ('denied', 'restricted', 'eligible')),
    scope           VARCHAR NOT NULL,
    effective_from  DATE,
    effective_to    DATE,
    rule            VARCHAR NOT NULL,
    citation        VARCHAR NOT NULL,
    citation_url    VARCHAR NOT NULL CHECK (citation_url LIKE 'http%'),
    note            VARCHAR,
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    PRIMARY KEY (iso3, rule_id),
    CHECK (effective_to IS NULL OR effective_from IS NULL OR effective_to >= effective_from)
);


-- The competing itemised orders of an order book laid out as arms_order: the store's own
-- ('arms_order') or an analyst's upload (a cursor-local view 'uploaded_order', data/orderbook.py).
-- One definition for both books (queries.sql: open_orders, uploaded_open_orders): a modelled
-- production line, units still open, partner and line names. An order already in delivery whose
-- contract date is not published takes the FCFS place of its line's oldest dated order
-- (date_assumed = TRUE); undated orders not yet in delivery do not compete.
CREATE MACRO itemised_orders(book) AS TABLE
WITH oldest AS (
    SELECT line_id, min(contract_date) AS first_date FROM query_table(book)
    WHERE contract_date IS NOT NULL GROUP BY line_id
)
SELECT o.order_id, o.iso3, p.name AS partner, p.analyst_region, o.line_id, l.platform,
       l.sensitivity, o.description, o.units_open, o.units_open_is_estimate, o.quantity,
       o.value_busd, o.value_basis, coalesce(o.contract_date, od.first_date) AS contract_date,
       coalesce(o.date_precision, 'assumed') AS date_precision, o.status, o.confidence,
       o.best_source_url, o.best_source_class, o.source_urls, FALSE AS is_block,
       o.contract_date IS NULL AS date_assumed
FROM query_table(book) o
JOIN partner p USING (iso3)
JOIN production_line l USING (line_id)
LEFT JOIN oldest od USING (line_id)
WHERE o.units_open > 0 AND (o.contract_date IS NOT NULL OR o.status = 'delivering');
