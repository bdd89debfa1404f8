DROP TABLE plan_bounds;
DROP TABLE plan_targets;
DROP TABLE plans;
