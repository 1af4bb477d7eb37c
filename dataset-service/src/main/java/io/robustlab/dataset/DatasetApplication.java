package io.robustlab.dataset;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Imports datasets and builds the paper's derived datasets (jobs of type dataset.*). */
@SpringBootApplication
public class DatasetApplication {

    public static void main(String[] args) {
        SpringApplication.run(DatasetApplication.class, args);
    }
}
