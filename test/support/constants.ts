export const TEMPLATE_DATABASE = "nightshift_test_template";
