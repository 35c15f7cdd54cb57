-- Canonical cleaning as SQL functions, applied set-based to a staged file (ingestion/loader.py).
-- ingestion/cleaning/*.py holds the same rules in Python: the tested reference that
-- tests/ingestion/test_sql_cleaning.py compares these functions with, case by case.
-- Scalar helpers are single-expression SQL so the planner inlines them; the table functions
-- are inlined into FROM, and their OFFSET 0 steps keep each intermediate value computed once.

create or replace function raw.as_text(delivered text) returns text
language sql immutable parallel safe as $$
    select case when btrim(delivered, E' \t\n\r\f\v') <> '' then delivered end
$$;

create or replace function raw.trimmed(delivered text) returns text
language sql immutable parallel safe as $$
    select nullif(btrim(delivered, E' \t\n\r\f\v'), '')
$$;

create or replace function raw.is_date(y integer, m integer, d integer) returns boolean
language sql immutable parallel safe as $$
    select y between 1 and 9999 and m between 1 and 12 and d between 1 and case
        when m = 2 then case when y % 4 = 0 and (y % 100 <> 0 or y % 400 = 0) then 29 else 28 end
        when m in (4, 6, 9, 11) then 30 else 31 end
$$;

drop function if exists raw.id_check_character(text);

-- ISO 7064 MOD 11-2 over the first 17 bytes (GB 11643-1999), which must be ASCII digits;
-- the weights sum to 100, hence the 48 * 100 for the digits' codes.
create or replace function raw.id_check_character(b bytea) returns text
language sql immutable parallel safe as $$
    select substr('10X98765432', (
        7 * get_byte(b, 0) + 9 * get_byte(b, 1) + 10 * get_byte(b, 2) + 5 * get_byte(b, 3)
        + 8 * get_byte(b, 4) + 4 * get_byte(b, 5) + 2 * get_byte(b, 6) + get_byte(b, 7)
        + 6 * get_byte(b, 8) + 3 * get_byte(b, 9) + 7 * get_byte(b, 10) + 9 * get_byte(b, 11)
        + 10 * get_byte(b, 12) + 5 * get_byte(b, 13) + 8 * get_byte(b, 14) + 4 * get_byte(b, 15)
        + 2 * get_byte(b, 16) - 4800) % 11 + 1, 1)
$$;

-- Full-width to half-width, separators removed, x upper-cased (ids.normalise); a number
-- that is already digits (and an x) skips the Unicode work.
create or replace function raw.id_normalised(delivered text) returns text
language sql immutable parallel safe as $$
    select case when ltrim(delivered, '0123456789') in ('', 'x', 'X') then upper(delivered)
        else upper(regexp_replace(normalize(coalesce(delivered, ''), nfkc), '[\s\-_]+', '', 'g'))
    end
$$;

-- Digits only (a cheap test: PostgreSQL's bounded repetitions such as {15} are slow).
create or replace function raw.is_digits(t text, width integer) returns boolean
language sql immutable parallel safe as $$
    select char_length(t) = width and ltrim(t, '0123456789') = ''
$$;

create or replace function raw.clean_id_number_any_form(delivered text)
returns table (number text, is_valid boolean, issue text, birth_date date, sex smallint)
language sql immutable parallel safe as $$
    select
        case when n.n <> '' then c.number end,
        coalesce(v.verdict = 'valid', false),
        case when n.n = '' then 'id_missing'
             when f.kind is not null then f.kind
             when v.verdict <> 'valid' then v.verdict
             when f.converted then 'id_converted_from_15'
             when left(c.number, 2) <> all ('{provinces}'::text[]) then 'id_place_unknown' end,
        case when v.verdict = 'valid' then make_date(substr(c.number, 7, 4)::int,
            substr(c.number, 11, 2)::int, substr(c.number, 13, 2)::int) end,
        case when v.verdict = 'valid' then (2 - substr(c.number, 17, 1)::int % 2)::smallint end
    from (select raw.id_normalised(delivered) as n offset 0) as n
    cross join lateral (
        select
            case when raw.is_digits(n.n, 15) then left(n.n, 6) || '19' || substr(n.n, 7)
                 else n.n end as body,
            raw.is_digits(n.n, 15) as converted,
            case when not raw.is_digits(n.n, 15) and strpos(n.n, '*') > 0
                 then case when n.n ~ '^[0-9X*]{15,18}$' then 'id_masked' else 'id_malformed' end
            end as kind
        offset 0
    ) as f
    cross join lateral (
        select case when raw.is_digits(left(f.body, 17), 17)
                    then convert_to(left(f.body, 17), 'UTF8') end as bytes
        offset 0
    ) as b
    cross join lateral (
        select case when f.converted then f.body || raw.id_check_character(b.bytes)
                    else f.body end as number,
               raw.id_check_character(b.bytes) as check_character
        offset 0
    ) as c
    cross join lateral (
        select case
            when n.n = '' or f.kind is not null then null
            when char_length(c.number) <> 18 or ltrim(c.number, '0123456789') not in ('', 'X')
                then 'id_malformed'
            when c.check_character <> right(c.number, 1) then 'id_checksum_invalid'
            when not raw.is_date(substr(c.number, 7, 4)::int, substr(c.number, 11, 2)::int,
                                 substr(c.number, 13, 2)::int)
                then 'id_birth_date_invalid'
            else 'valid' end as verdict
        offset 0
    ) as v
$$;

-- Most delivered numbers are already clean: 17 digits and the right check character, a real
-- birth date and a known province. Those are read from the digits' bytes (48 is the code of
-- '0'); any other form goes through clean_id_number_any_form, whose steps cost several times
-- as much (tests/ingestion/test_sql_cleaning.py holds both to the Python reference).
create or replace function raw.clean_id_number(delivered text)
returns table (number text, is_valid boolean, issue text, birth_date date, sex smallint)
language sql immutable parallel safe as $$
    select
        case when q.usual then delivered else a.number end,
        q.usual or a.is_valid,
        a.issue,
        case when q.usual then make_date(q.y, q.m, q.d) else a.birth_date end,
        case when q.usual then (2 - q.sex_digit % 2)::smallint else a.sex end
    from (
        select d.y, d.m, d.d, d.sex_digit,
            coalesce(raw.id_check_character(d.bytes) = right(delivered, 1)
                and raw.is_date(d.y, d.m, d.d)
                and left(delivered, 2) = any ('{provinces}'::text[]), false) as usual
        from (
            select b.bytes,
                1000 * get_byte(b.bytes, 6) + 100 * get_byte(b.bytes, 7)
                    + 10 * get_byte(b.bytes, 8) + get_byte(b.bytes, 9) - 53328 as y,
                10 * get_byte(b.bytes, 10) + get_byte(b.bytes, 11) - 528 as m,
                10 * get_byte(b.bytes, 12) + get_byte(b.bytes, 13) - 528 as d,
                get_byte(b.bytes, 16) - 48 as sex_digit
            from (
                select case when char_length(delivered) = 18
                                 and raw.is_digits(left(delivered, 17), 17)
                            then convert_to(left(delivered, 17), 'UTF8') end as bytes
                offset 0
            ) as b
            offset 0
        ) as d
        offset 0
    ) as q
    left join lateral (  -- not run at all for the usual form (a one-time filter)
        select * from raw.clean_id_number_any_form(delivered) where not q.usual offset 0
    ) as a on true
$$;

-- Every delivered date form (dates.py): compact, separated, year-month, year, Excel serials;
-- with swap, a month/day swap is read the only way that makes a date, and flagged.
-- Forms are told apart with string functions and match-only patterns: regexp_match with
-- capture groups costs tens of microseconds a call in PostgreSQL.
create or replace function raw.clean_date_any_form(delivered text, swap boolean)
returns table (value date, date_precision text, issue text)
language sql immutable parallel safe as $$
    select
        case when b.ok then make_date(p.y, p.m, p.d)
             when b.swapped then make_date(p.y, p.d, p.m)
             else t.serial_date end,
        case when b.ok or b.swapped then p.date_precision
             when t.serial_date is not null then 'day' end,
        case when delivered is null or t.t = '' then 'date_missing'
             when b.ok or t.serial_date is not null then null
             when b.swapped then 'date_month_day_swapped'
             else 'date_unparseable' end
    from (
        select s.t, s.excel, case when s.excel and floor(s.t::numeric) >= 1
            then date '1899-12-30' + floor(s.t::numeric)::int end as serial_date
        from (
            select x.t, ltrim(x.t, '0123456789.') = '' and left(x.t, 2) not in ('19', '20')
                and x.t ~ '^[0-9]{4,5}(\.0+)?$' as excel
            from (select split_part(btrim(
                case when octet_length(delivered) = char_length(delivered) then delivered
                     else normalize(coalesce(delivered, ''), nfkc) end,
                E' \t\n\r\f\v'), ' ', 1) as t offset 0) as x
            offset 0
        ) as s
        offset 0
    ) as t
    cross join lateral (
        select case
            when t.excel then null
            when raw.is_digits(t.t, 8)
                then array[left(t.t, 4), substr(t.t, 5, 2), substr(t.t, 7, 2), 'day']
            when raw.is_digits(t.t, 6) then array[left(t.t, 4), substr(t.t, 5, 2), '1', 'month']
            when raw.is_digits(rtrim(t.t, '年'), 4) and char_length(t.t) <= 5
                then array[left(t.t, 4), '1', '1', 'year']
            when t.t ~ '^[0-9]+[-/.年][0-9]+([-/.月][0-9]+日?|月?)$'
                then string_to_array(translate(rtrim(t.t, '日月'), '/.年月', '---'), '-')
                     || array[null, null]::text[]
        end as parts
        offset 0
    ) as a
    left join lateral (
        select a.parts[1]::int as y, a.parts[2]::int as m, coalesce(a.parts[3], '1')::int as d,
            case when a.parts[4] is not null then a.parts[4]
                 when a.parts[3] is null then 'month' else 'day' end as date_precision
        where char_length(a.parts[1]) = 4 and char_length(a.parts[2]) between 1 and 2
            and coalesce(char_length(a.parts[3]) between 1 and 2, true)
        offset 0
    ) as p0 on true
    cross join lateral (select p0.y, p0.m, p0.d, p0.date_precision offset 0) as p
    cross join lateral (
        select coalesce(raw.is_date(p.y, p.m, p.d), false) as ok,
               coalesce(swap and not raw.is_date(p.y, p.m, p.d) and p.d <= 12 and p.m > 12
                        and raw.is_date(p.y, p.d, p.m), false) as swapped
        offset 0
    ) as b
$$;

-- The usual forms, 19420315 and 1942-03-15 holding a real date, read with string functions,
-- and nothing delivered (most status and discharge dates); any other form through
-- clean_date_any_form.
create or replace function raw.clean_date(delivered text, swap boolean)
returns table (value date, date_precision text, issue text)
language sql immutable parallel safe as $$
    select
        case when q.usual then make_date(left(q.ymd, 4)::int, substr(q.ymd, 5, 2)::int,
                                         right(q.ymd, 2)::int)
             else a.value end,
        case when q.usual then 'day' else a.date_precision end,
        case when delivered is null then 'date_missing' else a.issue end
    from (
        select u.ymd, coalesce(raw.is_date(left(u.ymd, 4)::int, substr(u.ymd, 5, 2)::int,
                                           right(u.ymd, 2)::int), false) as usual
        from (
            select case
                when raw.is_digits(delivered, 8) then delivered
                when char_length(delivered) = 10 and substr(delivered, 5, 1) = '-'
                     and substr(delivered, 8, 1) = '-'
                     and raw.is_digits(translate(delivered, '-', ''), 8)
                    then translate(delivered, '-', '')
                end as ymd
            offset 0
        ) as u
        offset 0
    ) as q
    left join lateral (
        select * from raw.clean_date_any_form(delivered, swap)
        where not q.usual and delivered is not null offset 0
    ) as a on true
$$;

-- Width and whitespace normalised; the minority middle dot in one form (names.py). A name of
-- CJK ideographs only (most names) is already clean: one match-only pattern instead of the
-- normalisation and three replacements.
create or replace function raw.clean_name(delivered text)
returns table (name text, issue text)
language sql immutable parallel safe as $$
    select
        case when d.is_clean then delivered
             when d.dotted ~ '[\u3400-\u9fff]' then regexp_replace(d.dotted, '\s+', '', 'g')
             else regexp_replace(d.dotted, '\s+', ' ', 'g') end,
        case when not d.is_clean and d.dotted is null then 'name_missing' end
    from (
        select c.is_clean, case when not c.is_clean and raw.trimmed(delivered) is not null
            then btrim(regexp_replace(btrim(normalize(delivered, nfkc), E' \t\n\r\f\v'),
                                      '\s*[·・•‧∙⋅･.．。]\s*', '·', 'g'), '·') end as dotted
        from (select coalesce(delivered ~ '^[\u3400-\u9fff]+$', false) as is_clean) as c
        offset 0
    ) as d
$$;

create or replace function raw.is_mobile(t text) returns boolean
language sql immutable parallel safe as $$
    select raw.is_digits(t, 11) and left(t, 1) = '1' and substr(t, 2, 1) between '3' and '9'
$$;

-- Mobiles as 11 digits, landlines as <area>-<number>, Tianjin (022) when no area (phones.py).
create or replace function raw.clean_phone_any_form(delivered text)
returns table (phone text, issue text)
language sql immutable parallel safe as $$
    select
        case when raw.is_mobile(l.d) then l.d
             when l.is_local then '022-' || l.local
             when l.area > 0 then left(l.local, l.area) || '-' || substr(l.local, l.area + 1)
             else l.local end,
        case when l.d is null then 'phone_missing'
             when raw.is_mobile(l.d) or l.is_local or l.area > 0 then null
             else 'phone_invalid' end
    from (
        select c.d, c.local, raw.is_digits(c.local, 8) and left(c.local, 1) between '2' and '9'
                as is_local,
            case when left(c.local, 1) <> '0' or ltrim(c.local, '0123456789') <> '' then 0
                 when substr(c.local, 2, 1) in ('1', '2')
                      and char_length(c.local) between 10 and 11 then 3
                 when substr(c.local, 2, 1) between '3' and '9'
                      and char_length(c.local) between 11 and 12 then 4
                 else 0 end as area
        from (
            select u.d, case when left(u.d, 2) = '22' and char_length(u.d) = 10 then '0' || u.d
                             else u.d end as local
            from (
                select case when k.country > 0 and (raw.is_mobile(k.rest)
                        or ltrim(k.rest, '0123456789') = '' and (char_length(k.rest) between 9 and 11
                            or char_length(k.rest) = 12 and left(k.rest, 1) = '0'))
                    then k.rest else k.n end as d
                from (
                    select m.n, substr(m.n, m.country + 1) as rest, m.country
                    from (
                        select n.n, case when left(n.n, 3) = '+86' then 3
                                         when left(n.n, 4) = '0086' then 4
                                         when left(n.n, 2) = '86' then 2 else 0 end as country
                        from (
                            select case when ltrim(delivered, '0123456789') = '' then delivered
                                when raw.trimmed(delivered) is not null then translate(
                                    case when octet_length(delivered) = char_length(delivered)
                                         then delivered else normalize(delivered, nfkc) end,
                                    E' \t\n\r\f\v-()（）', '')
                                end as n
                            offset 0
                        ) as n
                        offset 0
                    ) as m
                    offset 0
                ) as k
                offset 0
            ) as u
            offset 0
        ) as c
        offset 0
    ) as l
$$;

-- The usual forms, a mobile of 11 digits or a landline with a three-digit area code
-- (022-23456789), are clean as delivered; any other form through clean_phone_any_form.
create or replace function raw.clean_phone(delivered text)
returns table (phone text, issue text)
language sql immutable parallel safe as $$
    select case when q.usual then delivered else a.phone end, a.issue
    from (
        select coalesce(raw.is_mobile(delivered)
            or char_length(delivered) = 12 and substr(delivered, 4, 1) = '-'
               and left(delivered, 1) = '0' and substr(delivered, 2, 1) in ('1', '2')
               and raw.is_digits(left(delivered, 3) || right(delivered, 8), 11), false) as usual
        offset 0
    ) as q
    left join lateral (
        select * from raw.clean_phone_any_form(delivered) where not q.usual offset 0
    ) as a on true
$$;

-- GB 32100-2015 unified social credit code (stdnum.cn.uscc.is_valid).
create or replace function raw.is_uscc(delivered text) returns boolean
language sql immutable parallel safe as $$
    select coalesce(c.code ~ '^\d{8}[0-9ABCDEFGHJKLMNPQRTUWXY]{10}$' and substr(
        '0123456789ABCDEFGHJKLMNPQRTUWXY',
        (31 - (select sum((strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(c.code, i, 1)) - 1)
                          * (array[1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30,
                                   28])[i])
               from generate_series(1, 17) as i)::int % 31) % 31 + 1, 1) = right(c.code, 1),
        false)
    from (select btrim(upper(replace(replace(coalesce(delivered, ''), ' ', ''), '-', '')))
          as code) as c
$$;
