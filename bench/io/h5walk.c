/* The floor for reading a .nir file: open it with libhdf5, visit every group in link order,
 * open every dataset and read all of it (numbers in their native type, strings as vlen or
 * fixed). No model building, no checks. Usage: h5walk FILE */
#include <hdf5.h>
#include <stdio.h>
#include <stdlib.h>

static long long g_datasets = 0, g_bytes = 0;
/* Small type-conversion buffer for string reads: HDF5's default 1 MiB one is allocated and
 * cleared per read, which would make this floor artificially slow. */
static hid_t g_dxpl = H5P_DEFAULT;

static void read_dataset(hid_t ds) {
    hid_t ftype = H5Dget_type(ds), space = H5Dget_space(ds);
    hssize_t n = H5Sget_simple_extent_npoints(space);
    if (H5Tget_class(ftype) == H5T_STRING && H5Tis_variable_str(ftype) > 0) {
        hid_t mem = H5Tcopy(H5T_C_S1);
        H5Tset_size(mem, H5T_VARIABLE);
        H5Tset_cset(mem, H5Tget_cset(ftype));
        char** buf = malloc(sizeof(char*) * (size_t)(n > 0 ? n : 1));
        H5Dread(ds, mem, H5S_ALL, H5S_ALL, g_dxpl, buf);
        H5Dvlen_reclaim(mem, space, H5P_DEFAULT, buf);
        free(buf);
        H5Tclose(mem);
    } else {
        hid_t mem = H5Tget_native_type(ftype, H5T_DIR_ASCEND);
        size_t bytes = H5Tget_size(mem) * (size_t)n;
        void* buf = malloc(bytes > 0 ? bytes : 1);
        if (n > 0)
            H5Dread(ds, mem, H5S_ALL, H5S_ALL, H5P_DEFAULT, buf);
        g_bytes += (long long)bytes;
        free(buf);
        H5Tclose(mem);
    }
    ++g_datasets;
    H5Sclose(space);
    H5Tclose(ftype);
}

static herr_t visit(hid_t group, const char* name, const H5L_info_t* info, void* data) {
    (void)info;
    (void)data;
    hid_t obj = H5Oopen(group, name, H5P_DEFAULT);
    if (obj < 0)
        return -1;
    if (H5Iget_type(obj) == H5I_GROUP) {
        hsize_t idx = 0;
        H5Literate(obj, H5_INDEX_NAME, H5_ITER_INC, &idx, visit, NULL);
    } else if (H5Iget_type(obj) == H5I_DATASET) {
        read_dataset(obj);
    }
    H5Oclose(obj);
    return 0;
}

int main(int argc, char** argv) {
    if (argc != 2) {
        fprintf(stderr, "usage: h5walk FILE\n");
        return 2;
    }
    g_dxpl = H5Pcreate(H5P_DATASET_XFER);
    H5Pset_buffer(g_dxpl, 4096, NULL, NULL);
    hid_t f = H5Fopen(argv[1], H5F_ACC_RDONLY, H5P_DEFAULT);
    if (f < 0)
        return 1;
    hsize_t idx = 0;
    H5Literate(f, H5_INDEX_NAME, H5_ITER_INC, &idx, visit, NULL);
    H5Fclose(f);
    printf("%lld datasets, %lld bytes\n", g_datasets, g_bytes);
    return 0;
}
