/* A shared library without nirb_plugin_entry: must be rejected as "missing symbol". */
int nirb_not_the_entry(void);
int nirb_not_the_entry(void) {
    return 1;
}
