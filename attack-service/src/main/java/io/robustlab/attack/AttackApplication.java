package io.robustlab.attack;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Runs adversarial attacks over datasets and on uploaded images (jobs of type attack.*). */
@SpringBootApplication
public class AttackApplication {

    public static void main(String[] args) {
        SpringApplication.run(AttackApplication.class, args);
    }
}
