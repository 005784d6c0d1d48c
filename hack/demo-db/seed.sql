CREATE TABLE listings (id integer PRIMARY KEY, title text NOT NULL, city text NOT NULL)
INSERT INTO listings SELECT i, 'Flat ' || i, (ARRAY['Lisbon', 'Porto', 'Braga', 'Faro'])[1 + i % 4] FROM generate_series(1, 200) AS i
CREATE TABLE reviews (id integer PRIMARY KEY, listing_id integer NOT NULL REFERENCES listings, stars integer NOT NULL, body text NOT NULL)
INSERT INTO reviews SELECT i, 1 + i % 200, 1 + (i / 200 + i / 7) % 5, 'Review ' || i || ' of flat ' || (1 + i % 200) FROM generate_series(1, 4000) AS i
ANALYZE
