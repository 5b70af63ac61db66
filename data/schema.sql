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
    CHECK ((target_capacity_units IS NULL) = (target_year IS NULL)),
    CHECK (target_year IS NULL OR target_year >= capacity_year)
);

-- The real order book. Orders without a modelled line (line_id NULL) or without a unit count stay in
-- the book for reference but do not compete for capacity.
CREATE TABLE arms_order (
    order_id        INTEGER PRIMARY KEY,
    iso3            VARCHAR NOT NULL REFERENCES partner (iso3),
    line_id         VARCHAR REFERENCES production_line (line_id),
    description     VARCHAR NOT NULL,
    quantity        INTEGER CHECK (quantity > 0),
    units_open      INTEGER CHECK (units_open >= 0),   -- units still to deliver (estimate where flagged)
    units_open_is_estimate BOOLEAN NOT NULL,
    value_busd      DOUBLE CHECK (value_busd >= 0),
    contract_date   DATE NOT NULL CHECK (contract_date BETWEEN DATE '2000-01-01' AND DATE '2040-12-31'),
    date_precision  VARCHAR NOT NULL CHECK (date_precision IN ('day', 'month')),
    status          VARCHAR NOT NULL CHECK (status IN ('notified', 'signed', 'delivering', 'delivered')),
    source_id       VARCHAR NOT NULL REFERENCES source (source_id),
    source_urls     VARCHAR NOT NULL CHECK (length(source_urls) > 0),
    notes           VARCHAR,
    CHECK (units_open IS NULL OR quantity IS NULL OR units_open <= quantity)
);
