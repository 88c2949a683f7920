INSERT INTO users (id, name, email) SELECT X, 'User ' || X, 'user' || X || '@example.com' FROM SYSTEM_RANGE(1, 1000);
INSERT INTO reviews (id, user_id, body, stars) SELECT X, MOD(X - 1, 1000) + 1, 'Review ' || X, MOD(X, 5) + 1 FROM SYSTEM_RANGE(1, 3000);
